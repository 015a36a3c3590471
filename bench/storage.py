"""Storage: Telegram saturation with Puente on SQLite (1 worker) and PostgreSQL (1 and 2 workers).

    python -m bench.storage [--seconds 10]

PostgreSQL: a database puente_bench_<pid>_<random> on PUENTE_BENCH_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/postgres), created and dropped by the run."""

from __future__ import annotations

import argparse

from bench.common import workdir
from bench.e2e import Options
from bench.report import channel_table
from bench.scenarios import storage

if __name__ == "__main__":
    import uvloop

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with workdir() as work:
        print(channel_table(uvloop.run(storage(work, Options(seconds=args.seconds)))))
