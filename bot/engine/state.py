"""The state of one conversation, stored between turns as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

HISTORY_LIMIT = 20


@dataclass
class ConversationState:
    language: str | None = None
    # The step waiting for the user's answer ("flow.step"), or None when resting.
    step: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    # Earlier questions, for "back"; most recent last.
    history: list[str] = field(default_factory=list)
    # Where a detour (language change) returns to.
    return_to: str | None = None
    # A system question in progress: "idle" (continue or start over?) or "delete" (sure?).
    pending: str | None = None
    # Unanswered tries at the current question.
    misses: int = 0
    # Where to continue after an action call: "flow.step" and the phase ("after_action"/"validated").
    cursor: str | None = None
    cursor_phase: str | None = None
    last_seen: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Every field, for JSON storage. Slot values are JSON values already (replaced, never
        mutated in place): a shallow copy is enough, and dataclasses.asdict's deep copy was a
        twentieth of a turn."""
        data = {name: getattr(self, name) for name in _FIELDS}
        data["slots"] = dict(self.slots)
        data["history"] = list(self.history)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ConversationState:
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        state = cls(**known)
        state.slots = dict(state.slots or {})
        state.history = list(state.history or [])
        return state

    def copy(self) -> ConversationState:
        # Slot values are replaced, never mutated in place, so a shallow copy of the dict is enough.
        return replace(self, slots=dict(self.slots), history=list(self.history))

    def push_history(self, ref: str) -> None:
        if self.history and self.history[-1] == ref:
            return
        self.history.append(ref)
        del self.history[:-HISTORY_LIMIT]


_FIELDS = tuple(ConversationState.__dataclass_fields__)
