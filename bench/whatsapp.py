"""WhatsApp end to end: signed Twilio form posts to /webhooks/whatsapp, TwiML replies.

    python -m bench.whatsapp                                   # saturation + 100/s + 500/s; Puente, do-nothing, Twilio echo
    python -m bench.whatsapp --shape rate --rates 100 --targets puente,twilio-echo

Same load generator as bench.telegram, with a fake Twilio API on loopback.
Results: docs/benchmarks.md; raw figures in bench/results/whatsapp.json."""

from __future__ import annotations

from bench.channel_cli import main

if __name__ == "__main__":
    raise SystemExit(main("whatsapp", __doc__.splitlines()[0]))
