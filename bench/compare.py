"""Before and after on one busy machine: the engine replay in CPU time, and a worker's memory, for
a baseline commit (extracted with `git archive` into a temporary folder) and this checkout,
alternated round by round; medians reported.

    python -m bench.compare engine --base 9ea2485 [--rounds 3] [--replays 7]
    python -m bench.compare memory --base 9ea2485 [--rounds 2] [--seconds 8]

Engine: bench.engine's recording pass, then each replay of every scripted turn timed with the
replaying thread's CPU time (time.thread_time), which other processes on the shared cores do
not inflate the way they inflate wall-clock time. Memory: bench.memory (VmRSS of the worker at
rest and after saturation). Both trees run with this checkout's virtualenv, so they compare the
code, not the installed packages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bench.common import PYTHON, ROOT

ENGINE_PROBE = r"""
import json, statistics, sys, time
from bench import engine as eb
from bot.action_bridge import ActionBridge
from bot.content.live import engine_factory
from bot.i18n import Formatter
from bot.services import load_files
from bot.settings import Settings

trace = eb.record(eb.CHATS)
settings = Settings.from_mapping({"CONTENT_DIR": str(eb.ROOT)})
engine = engine_factory(settings, Formatter())(load_files(settings, ActionBridge.from_package("actions")))
eb.replay(engine, trace)
times = []
for _ in range(int(sys.argv[1])):
    started = time.thread_time()
    eb.replay(engine, trace)
    times.append(time.thread_time() - started)
print(json.dumps({"turns": len(trace), "cpu_s": times}))
"""


def extract(ref: str, into: Path) -> Path:
    """The files of `ref` (no .git), as a baseline tree."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref], check=True,
                             capture_output=True).stdout
    target = into / ref.replace("/", "_")
    target.mkdir()
    with tempfile.TemporaryFile() as raw:
        raw.write(archive)
        raw.seek(0)
        with tarfile.open(fileobj=raw) as tar:
            tar.extractall(target, filter="data")
    return target


def run_in(tree: Path, argv: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([PYTHON, *argv], cwd=tree, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def engine_round(tree: Path, replays: int) -> dict[str, float]:
    result = json.loads(run_in(tree, ["-c", ENGINE_PROBE, str(replays)]).strip().splitlines()[-1])
    cpu = statistics.median(result["cpu_s"])
    return {"turns": result["turns"], "cpu_ms": cpu * 1000, "turns_per_cpu_second": result["turns"] / cpu}


def memory_round(tree: Path, seconds: float) -> dict[str, float]:
    out = run_in(tree, ["-m", "bench.memory", "--seconds", f"{seconds:g}"])
    line = next(x for x in out.splitlines() if x.startswith("puente:"))
    rest, load = (json.loads(found) for found in re.findall(r"\[[^\]]*\]", line))  # [MB per worker]
    return {"rest_mb": max(rest), "load_mb": max(load)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("engine", "memory"))
    parser.add_argument("--base", required=True, help="git ref of the baseline")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--replays", type=int, default=7, help="engine: timed replays per round")
    parser.add_argument("--seconds", type=float, default=8.0, help="memory: seconds of saturation")
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory(prefix="puente-compare-") as tmp:
        trees = {"base": extract(args.base, Path(tmp)), "this": ROOT}
        for number in range(args.rounds):
            for name, tree in trees.items():
                if args.what == "engine":
                    figures = engine_round(tree, args.replays)
                else:
                    figures = memory_round(tree, args.seconds)
                results[name].append(figures)
                print(f"round {number + 1} {name}: " + ", ".join(f"{k} {v:,.1f}" for k, v in figures.items()),
                      flush=True)
    print(f"medians over {args.rounds} rounds (base {args.base}):")
    for name, rows in results.items():
        keys = [k for k in rows[0] if k != "turns"]
        print(f"  {name}: " + ", ".join(f"{k} {statistics.median(r[k] for r in rows):,.1f}" for k in keys))
    if args.what == "engine":
        base = statistics.median(r["turns_per_cpu_second"] for r in results["base"])
        this = statistics.median(r["turns_per_cpu_second"] for r in results["this"])
        print(f"  this / base: {this / base:.2f}x turns per CPU second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
