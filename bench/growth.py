"""Growth: Telegram turn latency at 100/s with 1,000 vs 100,000 contacts stored; content load
time with 10x the shipped flows; vacancy search via bench.vacancy_search.

    python -m bench.growth [--seconds 10] [--contacts 1000,100000] [--skip-vacancies]"""

from __future__ import annotations

import argparse

from bench.common import workdir
from bench.e2e import Options
from bench.report import channel_table
from bench.scenarios import content_load, contacts_growth, vacancy_growth

if __name__ == "__main__":
    import uvloop

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--contacts", default="1000,100000")
    parser.add_argument("--skip-vacancies", action="store_true")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.contacts.split(","))
    with workdir() as work:
        runs = uvloop.run(contacts_growth(work, Options(seconds=args.seconds), sizes))
    for run in runs:
        print(f"contacts stored: {run.contacts:,}")
    print(channel_table(runs))
    c = content_load()
    print(f"content load: shipped {c['shipped_s']:.2f} s, {c['copies']}x the flows {c['grown_s']:.2f} s")
    if not args.skip_vacancies:
        print(vacancy_growth())
