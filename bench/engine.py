"""Engine only: turns per second of the pure turn function over the scripted conversations.

    python -m bench.engine                     # every tests/chats/**.yaml script, 3 s of replay
    python -m bench.engine --seconds 10 --scripts tests/chats/vacancies

First the scripts are played once through the real ConversationService (temporary SQLite
file, real actions), recording each turn's input (state, message, time) and the results of
the actions it called. Then only the turns are replayed: the conversation's `drive` loop over
`Engine.turn` and `Engine.resume`, with the recorded action results, in one process on one
core: no database, no actions, no I/O.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from collections import defaultdict
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import ROOT, machine

CHATS = ROOT / "tests" / "chats"


@dataclass
class Recorded:
    group: str
    state: Any            # ConversationState before the turn
    inbound: Any
    now: float
    results: list[Any] = field(default_factory=list)   # ActionResults, in order


class Recorder:
    """Stands in for the live Engine during the recording pass."""

    def __init__(self, engine: Any, trace: list[Recorded], group: list[str]) -> None:
        self._engine, self._trace, self._group = engine, trace, group

    def turn(self, state: Any, inbound: Any, now: float) -> Any:
        self._trace.append(Recorded(self._group[0], state.copy(), inbound, now))
        return self._engine.turn(state, inbound, now)

    def resume(self, state: Any, result: Any, now: float) -> Any:
        self._trace[-1].results.append(result)
        return self._engine.resume(state, result, now)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def record(scripts_dir: Path) -> list[Recorded]:
    from bot.app import build_app
    from bot.settings import Settings
    from tests.support.chat import Chat, load_scripts, play
    from tests.support.clock import FakeClock

    trace: list[Recorded] = []
    group = [""]
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()
        settings = Settings.from_mapping({"DATABASE_URL": f"sqlite:///{tmp}/engine.db", "CONTENT_DIR": str(ROOT)})
        app = build_app(settings)
        app.conversations.clock = clock
        real = app.live.engine
        loop = asyncio.new_event_loop()
        try:
            for number, script in enumerate(load_scripts(scripts_dir)):
                group[0] = script.path.parent.name
                app.live.engine = Recorder(real, trace, group)
                chat = Chat(app, loop, clock, user=f"engine-{number}", hint=None)
                with contextlib.suppress(AssertionError):   # a script out of date still gives turns
                    play(script, chat)
            app.live.engine = real
        finally:
            loop.close()
            app.close()
    return trace


class Replayed:
    """Stands in for the actions during the replay: the recorded results, in order."""

    def __init__(self) -> None:
        self.results: Iterator[Any] = iter(())

    async def run(self, call: Any, sender_id: str, channel: str = "", phone: str | None = None) -> Any:
        from bot.action_bridge import ActionFailed

        result = next(self.results, None)
        if result is None:
            raise ActionFailed("not recorded")  # the action failed while recording
        return result


def replay(engine: Any, trace: list[Recorded]) -> None:
    from bot.action_bridge import ActionFailed
    from bot.conversation.drive import drive

    actions = Replayed()
    for item in trace:
        actions.results = iter(item.results)
        with contextlib.suppress(ActionFailed):
            finish(drive(engine, actions, item.state, item.inbound, item.now, contact_id=""))


def finish(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never waits (nothing here does I/O) to its end, without an event loop."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("the replay waited for something")


def measure(seconds: float = 3.0, scripts_dir: Path = CHATS) -> dict[str, Any]:
    from bot.action_bridge import ActionBridge
    from bot.services import load_files
    from bot.content.live import engine_factory
    from bot.i18n import Formatter
    from bot.settings import Settings

    trace = record(scripts_dir)
    settings = Settings.from_mapping({"CONTENT_DIR": str(ROOT)})
    engine = engine_factory(settings, Formatter())(load_files(settings, ActionBridge.from_package("actions")))
    replay(engine, trace)   # warm: first uses fill caches (Babel data, compiled patterns)
    groups: dict[str, list[Recorded]] = defaultdict(list)
    for item in trace:
        groups[item.group].append(item)
    per_group = {}
    for name, items in sorted(groups.items()):
        per_group[name] = _rate(engine, items, seconds / (len(groups) + 1))
    overall = _rate(engine, trace, seconds)
    return {
        "turns_recorded": len(trace),
        "with_actions": sum(1 for t in trace if t.results),
        "turns_per_second": round(overall, 0),
        "per_group": {k: round(v, 0) for k, v in per_group.items()},
        "group_sizes": {k: len(v) for k, v in sorted(groups.items())},
    }


def _rate(engine: Any, items: list[Recorded], seconds: float) -> float:
    done, started = 0, time.perf_counter()
    while True:
        replay(engine, items)
        done += len(items)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="replay time for the overall figure")
    parser.add_argument("--scripts", type=Path, default=CHATS, help="folder of scripted chats")
    args = parser.parse_args()
    result = measure(args.seconds, args.scripts)
    print(f"machine: {machine()['cpu']}, load {machine()['load']}")
    print(f"{result['turns_recorded']} turns recorded ({result['with_actions']} calling actions)")
    print("| scripts | turns | turns/s (one core) |\n|---|---:|---:|")
    for name, rate in result["per_group"].items():
        print(f"| {name} | {result['group_sizes'][name]} | {rate:,.0f} |")
    print(f"| all | {result['turns_recorded']} | {result['turns_per_second']:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
