"""Who holds a claim (db/claimants.py): only a process of this machine that certainly ended is
gone; anything else (this process, another machine, a name it cannot read) waits for its lease."""

from __future__ import annotations

from db import claimants
from tests.channels.test_outbox_cut import ended_process


def test_only_an_ended_process_of_this_machine_is_gone() -> None:
    me = claimants.this()
    assert me is not None and not claimants.gone(me)  # running
    ended = ended_process()
    assert ended != me and claimants.gone(ended)
    machine, pid, started = ended.split(":")
    assert not claimants.gone(f"{'0' * len(machine)}:{pid}:{started}")  # another machine: its lease
    assert claimants.gone(f"{machine}:{me.split(':')[1]}:1")  # this pid, started long before: reused
    for unreadable in (None, "", "x", f"{machine}:pid:1", f"{machine}:"):
        assert not claimants.gone(unreadable)
