"""The flow interpreter: a pure function from (content, state, inbound) to replies and new state."""

from bot.engine.model import CompiledContent
from bot.engine.state import ConversationState
from bot.engine.turn import ActionCall, ActionResult, Engine, Turn

__all__ = ["ActionCall", "ActionResult", "CompiledContent", "ConversationState", "Engine", "Turn"]
