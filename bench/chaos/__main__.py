"""The reliability suite: every scenario of issue 14 against `puente serve` on loopback.

    python -m bench.chaos                     # everything, SQLite and PostgreSQL: a few minutes
    python -m bench.chaos --quick             # the SQLite scenarios, small: seconds
    python -m bench.chaos --only kill,fuzz    # some scenarios (names below)
    python -m bench.chaos --json out.json     # also the raw figures (default bench/results/chaos.json)
    python -m bench.chaos --backends postgresql --only machines --persons 3 --gap-ms 100
                                              # the two-server bursts at a lighter load

Scenarios: kill, outage, connections, storm, fuzz, machines, login, sqlite_lock, deletion.
PostgreSQL runs use a private throwaway server (initdb into a temporary folder, pg_ctl on a
free port, stopped and removed at the end); the machine's shared server is never touched.
`machines` also runs the two servers behind an HAProxy of its own on a free loopback port
(bench/chaos/balancer.py; skipped, with the reason printed, when haproxy is not installed).
What each scenario does and the figures: docs/reliability.md, "Reliability suite"."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.chaos import deletion, fuzz, kill, login, machines, outage, sqlite_lock, storms
from bench.chaos.harness import ChaosApis, PrivatePostgres, chaos_apis, private_postgres
from bench.chaos.report import render
from bench.common import machine, workdir

SCENARIOS = ("kill", "outage", "connections", "storm", "fuzz", "machines", "login", "sqlite_lock", "deletion")
POSTGRES_ONLY = {"outage", "connections", "machines"}


@dataclass(frozen=True)
class Sizes:
    seconds: float          # load under kill -9, outage, connection kills
    kills: int
    users: int
    copies: int             # duplicate storm
    fuzz: int               # payloads per webhook and backend
    persons: int            # 20-message bursts on two servers
    gap: float              # seconds between a person's messages in those bursts
    login_rounds: int
    login_window: int
    hold: float             # SQLite write lock held


FULL = Sizes(seconds=10, kills=2, users=20, copies=10, fuzz=10_000, persons=10, gap=0.025,
             login_rounds=5, login_window=60, hold=5.0)
QUICK = Sizes(seconds=4, kills=1, users=6, copies=5, fuzz=300, persons=3, gap=0.025,
              login_rounds=1, login_window=20, hold=1.5)

Step = Callable[[ChaosApis, Path, PrivatePostgres | None], Awaitable[list[dict[str, Any]]]]


def plan(sizes: Sizes, backends: list[str], chosen: list[str]) -> list[tuple[str, str, Step]]:
    """(scenario, label, step) in the order they run."""
    steps: list[tuple[str, str, Step]] = []

    def add(name: str, label: str, step: Step) -> None:
        if name in chosen:
            steps.append((name, label, step))

    for backend in backends:
        for path in ("webhook", "rest"):
            add("kill", f"kill -9, {backend}, {path}", lambda a, w, p, b=backend, r=path: _one(kill.run(
                b, r, a, w, p, seconds=sizes.seconds, kills=sizes.kills, users=sizes.users)))
    if "postgresql" in backends:
        for kind in ("outage", "connections"):
            for path in ("webhook", "rest"):
                add(kind, f"{kind}, postgresql, {path}", lambda a, w, p, k=kind, r=path: _one(outage.run(
                    k, r, a, w, p, seconds=sizes.seconds, users=sizes.users)))  # type: ignore[arg-type]
    for backend in backends:
        add("storm", f"duplicate storm, {backend}", lambda a, w, p, b=backend: storms.run(
            b, a, w, p, users=sizes.users, copies=sizes.copies))
    for backend in backends:
        add("fuzz", f"fuzz, {backend}", lambda a, w, p, b=backend: fuzz.run(b, a, w, p, count=sizes.fuzz))
    if "postgresql" in backends:
        for servers, by_sender, label in ((1, False, "1 server"), (2, False, "2 servers round-robin"),
                                          (2, True, "2 servers behind HAProxy by sender")):
            add("machines", f"{label} on one PostgreSQL", lambda a, w, p, s=servers, b=by_sender: _one(machines.run(
                a, w, p, persons=sizes.persons, gap=sizes.gap, servers=s, by_sender=b)))  # type: ignore[arg-type]
    add("login", "login hammered", lambda a, w, p: _one(login.run(
        a, w, rounds=sizes.login_rounds, per_window=sizes.login_window)))
    add("sqlite_lock", "SQLite write lock held", lambda a, w, p: _one(sqlite_lock.run(a, w, hold=sizes.hold)))
    for backend in backends:
        add("deletion", f"delete my data, {backend}", lambda a, w, p, b=backend: _one(deletion.run(b, a, w, p)))
    return steps


async def _one(result: Awaitable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [await result]


async def run(sizes: Sizes, backends: list[str], chosen: list[str]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    steps = plan(sizes, backends, chosen)
    with workdir() as work, contextlib.ExitStack() as stack:
        pg = stack.enter_context(private_postgres()) if "postgresql" in backends else None
        async with chaos_apis() as apis:
            for _name, label, step in steps:
                started = time.monotonic()
                _say(label)
                try:
                    found = await step(apis, work, pg)
                except Exception as error:  # noqa: BLE001 - one broken scenario must not hide the others
                    found = [{"scenario": label, "error": f"{type(error).__name__}: {error}"[:500]}]
                for item in found:
                    item["label"] = label
                    item["seconds"] = round(time.monotonic() - started, 1)
                results += found
    return results


def _say(text: str) -> None:
    print(f"-- {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SQLite only, small sizes: seconds")
    parser.add_argument("--only", default="", help="comma-separated scenarios: " + ", ".join(SCENARIOS))
    parser.add_argument("--backends", default="", help="sqlite,postgresql (default: both; --quick: sqlite)")
    parser.add_argument("--fuzz", type=int, default=0, help="fuzzed payloads per webhook and backend")
    parser.add_argument("--persons", type=int, default=0, help="machines: people sending a burst each")
    parser.add_argument("--gap-ms", type=float, default=0, help="machines: ms between a person's messages")
    parser.add_argument("--json", default=str(Path(__file__).resolve().parent.parent / "results" / "chaos.json"))
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    for name, value in (("fuzz", args.fuzz), ("persons", args.persons), ("gap", args.gap_ms / 1000)):
        if value:
            sizes = Sizes(**{**sizes.__dict__, name: value})
    backends = [b for b in args.backends.split(",") if b] or (["sqlite"] if args.quick else ["sqlite", "postgresql"])
    chosen = [s for s in args.only.split(",") if s] or list(SCENARIOS)
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if "postgresql" not in backends:
        chosen = [s for s in chosen if s not in POSTGRES_ONLY]
    started = time.monotonic()
    results = asyncio.run(run(sizes, backends, chosen))
    data = {"machine": machine(), "command": "python -m bench.chaos " + " ".join(sys.argv[1:] if argv is None else argv),
            "minutes": round((time.monotonic() - started) / 60, 2), "results": results}
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    print(render(data))
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
