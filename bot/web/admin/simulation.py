"""The simulator's conversation: the real Engine and real actions, on state kept in the staff
session, inside a transaction that is always rolled back so no real contact is touched."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert

from bot.action_bridge import ActionBridge, ActionFailed
from bot.conversation import ConversationService
from bot.engine import ConversationState, Engine
from bot.engine.turn import DELETE_EFFECT
from bot.messages import Inbound
from db.database import Database
from db.tables import contacts

CHANNEL = "simulator"
TRANSCRIPT_LIMIT = 60
MAX_TEXT = 2000


@dataclass
class Simulation:
    content: str = "draft"  # or "live"
    language: str = ""      # "" = a new user, asked for their language
    state: dict[str, Any] = field(default_factory=dict)
    transcript: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Simulation:
        data = data or {}
        return cls(str(data.get("content", "draft")), str(data.get("language", "")),
                   dict(data.get("state") or {}), list(data.get("transcript") or []))

    def to_json(self) -> dict[str, Any]:
        return {"content": self.content, "language": self.language, "state": self.state,
                "transcript": self.transcript[-TRANSCRIPT_LIMIT:]}

    def add(self, who: str, text: str, choices: list[tuple[str, str]] | None = None) -> None:
        self.transcript.append({"who": who, "text": text, "choices": [list(c) for c in choices or []]})


async def simulate_turn(
    engine: Engine, bridge: ActionBridge, db: Database, conversations: ConversationService,
    sim: Simulation, inbound: Inbound, key: str,
) -> None:
    """One turn of the simulated user; replies go to the transcript, the new state to `sim`."""
    now = time.time()
    state = ConversationState.from_json(sim.state)
    if not sim.state and sim.language:
        state.language = sim.language
        state.slots["language"] = sim.language
    async with conversations.serialized(CHANNEL, key):
        with db.rolled_back() as conn:
            # A throwaway contact for actions that need one; the rollback removes it and their writes.
            # A plain INSERT first: on SQLite it opens the transaction (a SAVEPOINT as the first
            # statement would start and then commit one of its own).
            contact_id = conn.execute(
                insert(contacts).values(created_at=dt.datetime.now(dt.UTC), opted_out=False).returning(contacts.c.id)
            ).scalar_one()
            turn = engine.turn(state, inbound, now)
            replies, effects = list(turn.replies), list(turn.effects)
            try:
                while turn.action is not None:
                    result = await bridge.run(turn.action, str(contact_id), CHANNEL)
                    turn = engine.resume(turn.state, result, now)
                    replies += turn.replies
                    effects += turn.effects
            except ActionFailed as failed:
                sim.add("note", f"{failed}. On a real channel the user gets the apology message.")
                return
    for reply in replies:
        sim.add("bot", reply.text, [(c.id, c.label) for c in reply.choices])
    sim.state = {} if DELETE_EFFECT in effects else turn.state.to_json()
    if DELETE_EFFECT in effects:
        sim.add("note", "The user's data would be deleted now; the simulator starts over.")
