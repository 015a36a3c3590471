"""Memory: resident memory (VmRSS) of Puente's worker process(es) at rest and after saturation.

    python -m bench.memory [--database postgresql --workers 2]"""

from __future__ import annotations

import argparse

from bench.common import workdir
from bench.e2e import Options, measure

if __name__ == "__main__":
    import uvloop

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with workdir() as work:
        runs = uvloop.run(measure("telegram", ["puente", "noop"], ["saturation"], work,
                                  Options(seconds=args.seconds, backend=args.database, workers=args.workers)))
    for run in runs:
        print(f"{run.target}: at rest {run.rss_rest_mb} MB, after saturation {run.rss_load_mb} MB")
