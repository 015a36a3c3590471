"""The one loop between the engine and the actions: the engine answers, or asks for an action;
the action runs and the engine resumes with its result, until the turn is done. The service,
the admin's simulator, bench/engine.py and the tests all drive turns through `drive`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.action_bridge import ActionFailed
from bot.engine import ActionCall, ActionResult, ConversationState, Engine
from bot.messages import Inbound, Outbound

# More action calls than this in one turn is a loop in the content (or an action's bug).
MAX_ACTIONS = 8


class Actions(Protocol):
    """What runs an action: bot.action_bridge.ActionBridge (the bench replays recorded results)."""

    async def run(
        self, call: ActionCall, sender_id: str, channel: str = "", phone: str | None = None
    ) -> ActionResult: ...


@dataclass
class Driven:
    """A whole turn: every reply in order, the final state, the effects and events it named."""

    replies: list[Outbound]
    state: ConversationState
    effects: list[str]
    events: list[tuple[str, str]]
    # Free text nothing placed, and the topic reached after one (bot/engine/guesses.py).
    unplaced: str | None = None
    chosen_topic: str | None = None
    # ("open", topic), ("message", text), ("end", ""), ("rated", answer): bot/engine/handoff.py.
    handoff: tuple[str, str] | None = None


async def drive(
    engine: Engine,
    actions: Actions,
    state: ConversationState,
    inbound: Inbound,
    now: float,
    *,
    contact_id: str,
    max_actions: int = MAX_ACTIONS,
) -> Driven:
    """Raises ActionFailed when an action raises, or past `max_actions` calls."""
    turn = engine.turn(state, inbound, now)
    replies, events, effects = list(turn.replies), list(turn.events), list(turn.effects)
    unplaced, chosen, handoff = turn.unplaced, turn.chosen_topic, turn.handoff
    calls = 0
    while turn.action is not None:
        calls += 1
        if calls > max_actions:
            raise ActionFailed(f"more than {max_actions} actions in one turn")
        result = await actions.run(turn.action, contact_id, inbound.channel, inbound.phone)
        turn = engine.resume(turn.state, result, now)
        replies += turn.replies
        events += turn.events
        effects += turn.effects
        unplaced, chosen = unplaced or turn.unplaced, chosen or turn.chosen_topic
        handoff = handoff or turn.handoff
    return Driven(replies, turn.state, effects, events, unplaced, chosen, handoff)
