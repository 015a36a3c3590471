"""The simulator's conversation: state and transcript kept in the staff session; each turn is
rehearsed by the conversation (bot/conversation/rehearsal.py), so no real contact is touched."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bot.action_bridge import ActionFailed
from bot.conversation.rehearsal import rehearse
from bot.conversation.service import ConversationService
from bot.engine import ConversationState, Engine
from bot.engine.turn import DELETE_EFFECT
from bot.messages import Inbound
from bot.web.admin.translations import _

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
    engine: Engine, conversations: ConversationService, sim: Simulation, inbound: Inbound, key: str
) -> None:
    """One turn of the simulated user; replies go to the transcript, the new state to `sim`."""
    state = ConversationState.from_json(sim.state)
    if not sim.state and sim.language:
        state.language = sim.language
        state.slots["language"] = sim.language
    try:
        turn = await rehearse(conversations, engine, state, inbound, key, time.time())
    except ActionFailed as failed:
        sim.add("note", _("%(problem)s. On a real channel the user gets the apology message.") % {"problem": failed})
        return
    for reply in turn.replies:
        sim.add("bot", reply.text, [(c.id, c.label) for c in reply.choices])
    sim.state = {} if DELETE_EFFECT in turn.effects else turn.state.to_json()
    if DELETE_EFFECT in turn.effects:
        sim.add("note", _("The user's data would be deleted now; the simulator starts over."))
