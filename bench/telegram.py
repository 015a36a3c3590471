"""Telegram end to end: real HTTP posts of Telegram updates to /webhooks/telegram.

    python -m bench.telegram                                   # saturation + 100/s + 500/s; Puente, do-nothing, PTB echo
    python -m bench.telegram --shape saturation --targets puente,noop --seconds 5
    python -m bench.telegram --database postgresql --workers 2 --targets puente

The load generator (this process) owns 1,000 users and serves a fake Bot API on loopback;
a turn ends when its reply reached the platform (webhook response or sendMessage).
Results: docs/benchmarks.md; raw figures in bench/results/telegram.json."""

from __future__ import annotations

from bench.channel_cli import main

if __name__ == "__main__":
    raise SystemExit(main("telegram", __doc__.splitlines()[0]))
