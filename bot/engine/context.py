"""One turn in progress: the working state the turn's parts (answers, moves, system questions) share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.engine.calls import ActionNeeded, Turn
from bot.engine.model import CompiledContent, Step
from bot.engine.render import Renderer
from bot.engine.state import ConversationState
from bot.messages import Choice, Inbound, Outbound

if TYPE_CHECKING:
    from bot.engine.turn import Engine


class TurnContext:
    """The mutable working state of Engine.turn / Engine.resume, and the helpers every part uses."""

    def __init__(self, engine: Engine, state: ConversationState, inbound: Inbound, now: float) -> None:
        self.engine = engine
        self.content: CompiledContent = engine.content
        self.state = state
        self.inbound = inbound
        self.now = now
        self.replies: list[Outbound] = []
        self.events: list[tuple[str, str]] = []
        self.effects: list[str] = []
        self.steps_entered = 0
        self.render = Renderer(self.content, engine.formatter, self.lang)

    @property
    def lang(self) -> str:
        return (
            self.state.language
            or self.state.slots.get("_suggested")
            or self.engine.default_language
        )

    def finish(self, body: Any) -> Turn:
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
        earlier = self.render.fallbacks
        self.render = Renderer(self.content, self.engine.formatter, code)
        self.render.fallbacks = earlier

    def current_step(self) -> Step | None:
        ref = self.state.step
        if ref and self.content.has_step(ref):
            return self.content.step(ref)
        self.state.step = None
        return None

    # Implemented by the parts that make up a turn (turn.Run, moves.Moves, system.SystemQuestions).
    def go(self, target: str, *, remember: bool = True, action_done: bool = False) -> None: ...
    def ask_again(self, *, offer_menu: bool = False) -> None: ...
    def miss(self, reason: str, values: Mapping[str, Any] | None = None) -> None: ...
    def _pending_question(self) -> None: ...
