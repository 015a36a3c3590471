"""Overload: Puente (SQLite, 1 worker) offered twice its saturation rate for 30 s.

    python -m bench.overload                       # measures saturation first, then overloads
    python -m bench.overload --saturation 300 --seconds 30

Counts statuses (only deliberate 429/503 are allowed besides 2xx), checks every update ended
answered exactly once and recorded once in processed_messages (updates refused or unanswered
are posted again, like Telegram does), and shows latency before, during and in the 10 s after."""

from __future__ import annotations

import argparse
import json

from bench.common import workdir
from bench.e2e import Options, measure
from bench.scenarios import overload

if __name__ == "__main__":
    import uvloop

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saturation", type=float, help="turns/s at saturation (default: measure it)")
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()

    async def run() -> dict:
        with workdir() as work:
            saturation = args.saturation
            if not saturation:
                runs = await measure("telegram", ["puente"], ["saturation"], work, Options(seconds=5))
                saturation = runs[0].results["saturation"].throughput
            return await overload(work, Options(), saturation, seconds=args.seconds)

    print(json.dumps(uvloop.run(run()), indent=1))
