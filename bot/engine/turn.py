"""The turn function: (state, inbound) -> replies, new state, and at most one action to run."""

from __future__ import annotations

from bot.engine.calls import DELETE_EFFECT, ActionCall, ActionResult, Turn
from bot.engine.context import EngineOptions, ReadsText, TurnContext
from bot.engine.guesses import topic_labels
from bot.engine.model import CompiledContent
from bot.engine.moves import Moves
from bot.engine.reading import Reader
from bot.engine.render import Formatting
from bot.engine.state import ConversationState
from bot.engine.system import SystemQuestions
from bot.messages import Inbound

__all__ = ["DELETE_EFFECT", "ActionCall", "ActionResult", "Engine", "Turn"]


class Engine:
    """Interprets compiled content. Holds no per-user data: every call gets the state it needs."""

    def __init__(
        self,
        content: CompiledContent,
        formatter: Formatting,
        *,
        idle_seconds: float = 6 * 3600,
        max_misses: int = 2,
        default_language: str = "es",
        handoff_hours: str = "",
        handoff_wait_hours: int = 0,
        understanding: ReadsText | None = None,
    ) -> None:
        """`understanding`: the intent and language models trained on the content's examples
        (bot.nlu.understanding.train); without them free text is read by keywords alone."""
        self.content = content
        self.formatter = formatter
        self.options = EngineOptions(idle_seconds, max_misses, default_language, handoff_hours,
                                     handoff_wait_hours)
        self.understanding = understanding
        self.topic_labels = topic_labels(content)

    def turn(self, state: ConversationState, inbound: Inbound, now: float) -> Turn:
        ctx = self._context(state, inbound, now)
        moves = Moves(ctx)
        reader = Reader(ctx, moves, SystemQuestions(ctx, moves))
        return ctx.finish(reader.handle)

    def resume(self, state: ConversationState, result: ActionResult, now: float) -> Turn:
        """Go on after the action named in the previous Turn ran."""
        ctx = self._context(state, Inbound(channel="", user_key=""), now)
        moves = Moves(ctx)
        return ctx.finish(lambda: moves.after_action(result))

    def _context(self, state: ConversationState, inbound: Inbound, now: float) -> TurnContext:
        return TurnContext(self.content, self.formatter, self.options, state.copy(), inbound, now,
                           understanding=self.understanding, topic_labels=self.topic_labels)
