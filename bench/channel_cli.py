"""The command line shared by bench.telegram and bench.whatsapp."""

from __future__ import annotations

import argparse

from bench.common import machine, workdir
from bench.e2e import CHANNEL_TARGETS, Options, measure
from bench.report import channel_table, save


def parser(channel: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--shape", choices=("saturation", "rate", "both"), default="both")
    p.add_argument("--rates", default="100,500", help="fixed rates, updates per second")
    p.add_argument("--targets", default=",".join(CHANNEL_TARGETS[channel]),
                   help=f"comma-separated: {', '.join(CHANNEL_TARGETS[channel])}")
    p.add_argument("--seconds", type=float, default=10.0, help="measured seconds per shape")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring, per shape")
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--connections", type=int, default=40, help="concurrent connections (Telegram's default 40)")
    p.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--workers", type=int, default=1, help="Puente's worker processes")
    p.add_argument("--contacts", type=int, default=0, help="contacts stored before the run")
    return p


def shapes(args: argparse.Namespace) -> list[str]:
    found = []
    if args.shape in ("saturation", "both"):
        found.append("saturation")
    if args.shape in ("rate", "both"):
        found += [r.strip() for r in args.rates.split(",") if r.strip()]
    return found


def options(args: argparse.Namespace) -> Options:
    return Options(seconds=args.seconds, warmup=args.warmup, users=args.users, connections=args.connections,
                   backend=args.database, workers=args.workers, contacts=args.contacts)


def main(channel: str, description: str) -> int:
    args = parser(channel, description).parse_args()
    with workdir() as work:
        runs = uvloop_run(measure(channel, args.targets.split(","), shapes(args), work, options(args)))
    print(channel_table(runs))
    save(channel, {"machine": machine(), "runs": [r.summary() for r in runs]})
    return 0


def uvloop_run(coro):  # type: ignore[no-untyped-def]
    import uvloop

    return uvloop.run(coro)
