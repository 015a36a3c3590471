"""Talking to a person of the staff, as the engine sees it: asking for one (the `person` command,
the menu's `@person`, "something else" under "did you mean", the hint after repeated misses),
and the question after staff close the conversation ("did this help?"). The engine only names
what happened (TurnContext.handoff); the conversation (bot/conversation/handoffs.py) stores it.
While a person has the conversation, bot/engine/with_person.py reads the messages."""

from __future__ import annotations

from bot.engine.context import TurnContext
from bot.engine.model import CompiledContent
from bot.engine.render import Formatting, Renderer
from bot.messages import Choice, Outbound

# State slot: the conversation is with a person of the staff (the bot stays silent).
WITH_PERSON = "_handoff"
# State slot: the name of the organization the person arrived through (set by the conversation);
# absent: the network's own team answers.
ORGANIZATION = "_organization"
OPEN, MESSAGE, END, RATED = "open", "message", "end", "rated"
# The bot's own questions (pending.py): "talk to a person?" and "did this help?".
OFFER, RATING = "person", "rating"
# The system messages this needs (dialogs/system.yaml; the validator requires them).
HANDOFF_MESSAGES = tuple("handoff_" + name for name in (
    "network", "opened", "hours", "wait", "how", "already", "waiting", "media", "ended", "hint", "offer",
    "offer_yes", "offer_no", "rating", "rating_yes", "rating_no", "thanks"))


def request(ctx: TurnContext, topic: str | None = None) -> None:
    """Hand the conversation to a person, and say honestly what happens next."""
    state = ctx.state
    if state.slots.get(WITH_PERSON):
        ctx.say(ctx.render.message("handoff_already"))
        return
    where = topic or state.step or "menu"
    state.pending = None
    state.slots[WITH_PERSON] = True
    state.slots.pop("_offers", None)
    state.step = None
    state.history.clear()
    ctx.handoff = (OPEN, where)
    who = state.slots.get(ORGANIZATION) or ctx.render.message("handoff_network")
    lines = [ctx.render.message("handoff_opened", {"who": who})]
    options = ctx.options
    if options.handoff_hours:
        opens, _, closes = options.handoff_hours.partition("-")
        lines.append(ctx.render.message("handoff_hours", {"opens": _clock(opens), "closes": _clock(closes)}))
    if options.handoff_wait_hours:
        lines.append(ctx.render.message("handoff_wait", {"hours": options.handoff_wait_hours}))
    lines.append(ctx.render.message("handoff_how"))
    ctx.say("\n\n".join(lines))


def _clock(hour: str) -> str:
    return hour if ":" in hour else f"{hour}:00"


def end(ctx: TurnContext) -> None:
    """The person goes back to the bot (menu): the handoff is closed by them."""
    ctx.state.slots.pop(WITH_PERSON, None)
    ctx.handoff = (END, "")
    ctx.say(ctx.render.message("handoff_ended"))


def rated(ctx: TurnContext, answer: str) -> None:
    ctx.handoff = (RATED, answer)
    ctx.say(ctx.render.message("handoff_thanks"))


def rating_question(content: CompiledContent, formatter: Formatting, lang: str) -> Outbound:
    """"Did this help?" with yes / no, sent when staff close the conversation (outside a turn)."""
    render = Renderer(content, formatter, lang)
    return Outbound(render.message("handoff_rating"), (
        Choice(f"sys.{RATING}.yes", render.message("handoff_rating_yes")),
        Choice(f"sys.{RATING}.no", render.message("handoff_rating_no")),
    ))
