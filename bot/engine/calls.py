"""What crosses the engine's boundary besides state: action calls, action results, a turn's outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.engine.state import ConversationState
from bot.messages import Outbound

DELETE_EFFECT = "delete_personal_data"


@dataclass(frozen=True)
class ActionCall:
    """An action the caller must run before the turn can go on (see Engine.resume)."""

    name: str
    slots: Mapping[str, Any]
    language: str
    text: str = ""
    requested_slot: str | None = None
    candidate: Any = None


@dataclass(frozen=True)
class ActionResult:
    """What an action returned: slot changes in order, and dispatcher messages."""

    slots: tuple[tuple[str, Any], ...] = ()
    responses: tuple[Mapping[str, Any], ...] = ()


@dataclass
class Turn:
    replies: list[Outbound]
    state: ConversationState
    action: ActionCall | None = None
    effects: list[str] = field(default_factory=list)
    # ("read", step ref) for tracked topics, ("fallback", "lang:msgctxt"), ("miss", step ref), ...
    events: list[tuple[str, str]] = field(default_factory=list)
    # Free text nothing could place (the conversation keeps it for staff, digits masked), and
    # the topic the person reached in the turns after one (bot/engine/guesses.py).
    unplaced: str | None = None
    chosen_topic: str | None = None
    # What the conversation must do about a person of the staff (bot/engine/handoff.py):
    # ("open", topic), ("message", text), ("end", ""), ("rated", "yes" | "no").
    handoff: tuple[str, str] | None = None


class ActionNeeded(Exception):
    """Raised inside a turn when an action must run before it can go on."""

    def __init__(self, call: ActionCall) -> None:
        self.call = call
