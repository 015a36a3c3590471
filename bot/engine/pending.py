"""The bot's own questions (continue where you were, or start over? delete everything?):
their options and asking them. The answers are read in system.py."""

from __future__ import annotations

from bot.engine.context import TurnContext
from bot.messages import Choice


def pending_options(kind: str | None) -> dict[str, str]:
    """Answer key -> system message of its button, for the question `kind` ("idle", "delete")."""
    if kind == "delete":
        return {"yes": "delete_yes", "no": "delete_no"}
    return {"continue": "idle_continue", "restart": "idle_restart"}


def ask_pending(ctx: TurnContext) -> None:
    kind = ctx.state.pending or "idle"
    options = pending_options(ctx.state.pending)
    choices = tuple(
        Choice(f"sys.{kind}.{key}", ctx.render.message(label)) for key, label in options.items()
    )
    ctx.say(ctx.render.message("delete_confirm" if kind == "delete" else "idle"), choices)
