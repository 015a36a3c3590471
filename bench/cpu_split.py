"""Where a benchmark's CPU goes: runs a command and samples every process on the machine
(/proc, twice a second), summed by group: Puente's servers, PostgreSQL, the load generator
(bench.*), anything else. Prints cores used while the machine was busy (over one core in use):

    python -m bench.cpu_split -- python -m bench.telegram --shape saturation --targets puente \\
        --database postgresql --workers 2 --seconds 15

Linux only. Tells whether a run was limited by the cores (they add up to the machine's) or by
waiting (docs/benchmarks.md, "Two PostgreSQL workers")."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
EVERY = 0.5


def group(command: str) -> str:
    if "bench." in command:
        return "load generator"
    if "postgres" in command:
        return "postgresql"
    if "bot.cli" in command or "multiprocessing.spawn" in command:
        return "puente"
    return "other"


def snapshot() -> dict[int, tuple[int, str]]:
    """CPU ticks (user + system) and command line of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(fields[11]) + int(fields[12]), command)
    return found


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    busy: Counter[str] = Counter()
    samples = 0
    last = snapshot()
    process = subprocess.Popen(command)
    while process.poll() is None:
        time.sleep(EVERY)
        now = snapshot()
        tick: Counter[str] = Counter()
        for pid, (spent, line) in now.items():
            tick[group(line)] += max(0, spent - last.get(pid, (0, line))[0])
        last = now
        if sum(tick.values()) / TICKS / EVERY > 1.0:
            busy.update(tick)
            samples += 1
    if samples:
        seconds = samples * EVERY
        split = ", ".join(f"{name} {ticks / TICKS / seconds:.2f}" for name, ticks in busy.most_common())
        print(f"cores used while busy ({seconds:.0f} s): {sum(busy.values()) / TICKS / seconds:.2f} = {split}")
    return process.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
