"""Where a jump leads: 'step', 'flow' and 'flow.step' resolved as the engine resolves them, and
the existing names closest to a mistyped one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bot.content.document import RawFlow
from bot.engine.model import SPECIAL_TARGETS


class Targets:
    """Resolves 'step', 'flow' and 'flow.step' as the engine will."""

    def __init__(self, flows: Iterable[RawFlow]) -> None:
        self.flows = {f.id: f for f in flows}

    def start_of(self, flow: RawFlow) -> str | None:
        ids = [s.id for s in flow.steps]
        if flow.start is None:
            return ids[0] if ids else None
        return flow.start if flow.start in ids else None

    def resolve(self, here: str, target: str) -> str | None:
        if target in SPECIAL_TARGETS:
            return target
        flow_id, dot, step_id = target.partition(".")
        if not dot:
            own = self.flows.get(here)
            if own and any(s.id == target for s in own.steps):
                return f"{here}.{target}"
            flow = self.flows.get(target)
            start = self.start_of(flow) if flow else None
            return f"{target}.{start}" if start else None
        flow = self.flows.get(flow_id)
        if flow and any(s.id == step_id for s in flow.steps):
            return target
        return None

    def close(self, here: str, target: str) -> list[str]:
        """Existing targets that look like a mistyped one."""
        names = list(self.flows) + [s.id for s in self.flows[here].steps] if here in self.flows else []
        names += [f"{f.id}.{s.id}" for f in self.flows.values() for s in f.steps]
        return difflib.get_close_matches(target, names, n=3)

    def suggestions(self, here: str, target: str) -> str:
        close = self.close(here, target)
        if close:
            return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
        return "use a step of this flow, a flow name, 'flow.step', @menu, @return, @end, @delete or @person"
