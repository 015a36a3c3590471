"""One turn in progress: the working state that the turn's parts (reading, moves, the bot's own
questions, the step types) are handed explicitly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.engine.calls import ActionNeeded, Turn
from bot.engine.model import CompiledContent, Step
from bot.engine.render import Formatting, Renderer
from bot.engine.state import ConversationState
from bot.messages import Choice, Inbound, Outbound


@dataclass(frozen=True)
class EngineOptions:
    """What a deployment sets for every turn (bot.settings: IDLE_RESUME_SECONDS, MAX_MISSES...)."""

    idle_seconds: float = 6 * 3600
    max_misses: int = 2
    default_language: str = "es"


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
        return Turn(self.replies, self.state, action, self.effects, self.events)

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
