"""Who holds a claim on an outbound message: this process, named so that another process on the
same machine can tell whether it still runs.

A row claimed for sending ("sending") whose sender was killed (kill -9, a crash, the machine's
out-of-memory killer) used to wait for its lease (45 s for a reply) before anyone looked at it,
since another worker may still be sending it. A claimant is named by its machine, process id
and the moment the process started (Linux's /proc: the boot, the PID namespace and the user
own the name, so containers and other users never mistake each other's processes); a claim
whose process is gone from this machine is taken at once. A claim from another machine, another
container or another user, or where /proc is not there, waits for its lease as before: only a
process that certainly ended is declared gone."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PROC = Path("/proc")
_named: dict[int, str | None] = {}


def this() -> str | None:
    """This process's name as a claimant (None where it cannot be told)."""
    pid = os.getpid()  # a forked child is another claimant
    if pid not in _named:
        machine, started = _machine(), _started(pid)
        _named[pid] = f"{machine}:{pid}:{started}" if machine and started else None
    return _named[pid]


def gone(claimant: str | None) -> bool:
    """Whether the claimant's process certainly ended: it ran on this machine (same boot, PID
    namespace and user) and its process id is free, or now names a process started later."""
    if not claimant:
        return False
    machine, _, rest = claimant.partition(":")
    pid, _, started = rest.partition(":")
    if not pid.isdigit() or machine != _machine():
        return False
    return _started(int(pid)) != started


def _machine() -> str | None:
    try:
        boot = (PROC / "sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink(PROC / "self/ns/pid")
    except OSError:
        return None
    return hashlib.sha256(f"{boot}|{namespace}|{os.getuid()}".encode()).hexdigest()[:16]


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (name) "; the name may hold spaces
    return fields[19] if len(fields) > 19 else None
