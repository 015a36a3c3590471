"""One turn in progress: the working state that the turn's parts (reading, moves, the bot's own
questions, the step types) are handed explicitly."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.engine.calls import ActionNeeded, Turn
from bot.engine.model import CompiledContent, LocalText, Step
from bot.engine.render import Formatting, Renderer
from bot.engine.state import ConversationState
from bot.messages import Choice, Inbound, Outbound
from bot.nlu.understanding import Reading


# Turns left in which the topic a person reaches answers an unplaced message (guesses.py).
UNPLACED_SLOT = "_unplaced"


class ReadsText(Protocol):
    """The trained models of a content revision (bot.nlu.understanding.Understanding)."""

    def read(self, text: str) -> Reading: ...


@dataclass(frozen=True)
class EngineOptions:
    """What a deployment sets for every turn (bot.settings: IDLE_RESUME_SECONDS, MAX_MISSES...)."""

    idle_seconds: float = 6 * 3600
    max_misses: int = 2
    default_language: str = "es"
    # What a person who asks for a human is told: office hours ("9:00-18:00") and the usual
    # wait in hours; empty / 0: not said (bot/engine/handoff.py).
    handoff_hours: str = ""
    handoff_wait_hours: int = 0


@dataclass(eq=False)
class TurnContext:
    """The mutable working state of Engine.turn / Engine.resume. Every part reads and writes
    `state` and `render` through here (both are replaced during a turn: a deletion starts a new
    state, a language choice a new renderer), never through a copy of its own."""

    content: CompiledContent
    formatter: Formatting
    options: EngineOptions
    state: ConversationState
    inbound: Inbound
    now: float
    replies: list[Outbound] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)
    steps_entered: int = 0
    # The classifier stage (bot/engine/guesses.py): the models and the labels of what they name.
    understanding: ReadsText | None = None
    topic_labels: Mapping[str, LocalText] = field(default_factory=dict)
    # A message nothing could place (kept for staff, masked), and the topic picked after one.
    unplaced: str | None = None
    chosen_topic: str | None = None
    # What the conversation must do about a person of the staff (bot/engine/handoff.py).
    handoff: tuple[str, str] | None = None
    render: Renderer = field(init=False)

    def __post_init__(self) -> None:
        self.render = Renderer(self.content, self.formatter, self.lang)

    @property
    def lang(self) -> str:
        return (
            self.state.language
            or self.state.slots.get("_suggested")
            or self.options.default_language
        )

    def finish(self, body: Callable[[], None]) -> Turn:
        action = None
        try:
            body()
        except ActionNeeded as stop:
            action = stop.call
        state = self.state
        if state.language is None and state.step and not state.step.startswith(
            self.content.language_flow + "."
        ):
            # The user left the language question without answering: keep the one we used.
            self.set_language(self.lang)
        self.events.extend(("fallback", ctx) for ctx in self.render.fallbacks)
        if self.inbound.channel:  # a turn, not the resumption after an action
            self.notice_topic()
        return Turn(self.replies, self.state, action, self.effects, self.events,
                    unplaced=self.unplaced, chosen_topic=self.chosen_topic, handoff=self.handoff)

    def notice_topic(self) -> None:
        """In the turns after a message nothing could place, the topic the person reaches (a
        tracked topic read, or a flow started) is what that message was about, for staff."""
        left = self.state.slots.get(UNPLACED_SLOT)
        if not left or self.unplaced is not None:
            return
        if self.chosen_topic is None:
            self.chosen_topic = next((ref for name, ref in self.events if name == "read"), None)
        landed = self.state.cursor or self.state.step
        if self.chosen_topic is None and landed and self.content.has_step(landed):
            step = self.content.step(landed)
            flow = self.content.flows[step.flow]
            if step.id == flow.start and not step.navigates_only and step.flow in self.topic_labels:
                self.chosen_topic = step.flow
        if self.chosen_topic is not None or left <= 1:
            self.state.slots.pop(UNPLACED_SLOT, None)
        else:
            self.state.slots[UNPLACED_SLOT] = left - 1

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        if text or choices:
            self.replies.append(Outbound(text, choices))

    def set_language(self, code: str) -> None:
        self.state.language = code
        self.state.slots["language"] = code
        self.render_in(code)

    def render_in(self, code: str) -> None:
        """Texts from now on in `code`; the fallbacks counted so far are kept."""
        earlier = self.render.fallbacks
        self.render = Renderer(self.content, self.formatter, code)
        self.render.fallbacks = earlier

    def current_step(self) -> Step | None:
        ref = self.state.step
        if ref and self.content.has_step(ref):
            return self.content.step(ref)
        self.state.step = None
        return None
