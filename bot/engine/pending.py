"""The bot's own questions (continue where you were, or start over? delete everything?):
their options and asking them. The answers are read in system.py."""

from __future__ import annotations

from bot.engine.context import TurnContext
from bot.messages import Choice


# Where a topic named in the middle of a form would lead, while the bot asks whether to go.
DETOUR_SLOT = "_detour"


def pending_options(kind: str | None) -> dict[str, str]:
    """Answer key -> system message of its button, for the question `kind` ("idle", "delete",
    "detour": leave the form for a topic?)."""
    if kind == "delete":
        return {"yes": "delete_yes", "no": "delete_no"}
    if kind == "detour":
        return {"go": "detour_go", "stay": "detour_stay"}
    if kind == "person":  # "something else" under "did you mean": talk to a person?
        return {"yes": "handoff_offer_yes", "no": "handoff_offer_no"}
    if kind == "rating":  # after staff closed a conversation: did this help?
        return {"yes": "handoff_rating_yes", "no": "handoff_rating_no"}
    return {"continue": "idle_continue", "restart": "idle_restart"}


def ask_pending(ctx: TurnContext) -> None:
    kind = ctx.state.pending or "idle"
    options = pending_options(ctx.state.pending)
    choices = tuple(
        Choice(f"sys.{kind}.{key}", ctx.render.message(label)) for key, label in options.items()
    )
    if kind == "detour":
        text = ctx.render.message("detour_ask", {"topic": detour_title(ctx)})
    elif kind in ("person", "rating"):
        text = ctx.render.message("handoff_offer" if kind == "person" else "handoff_rating")
    else:
        text = ctx.render.message("delete_confirm" if kind == "delete" else "idle")
    ctx.say(text, choices)


def detour_title(ctx: TurnContext) -> str:
    """The title of the flow the detour leads to ("Buscar trabajo")."""
    ref = str(ctx.state.slots.get(DETOUR_SLOT) or "")
    flow = ctx.content.flows.get(ref.partition(".")[0])
    return ctx.render.text(flow.title, {}) if flow and flow.title else ""
