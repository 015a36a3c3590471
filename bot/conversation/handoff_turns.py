"""A handoff as a person's turns see it: what a turn named (Turn.handoff: opened, a message for
staff, back to the bot, "did this help?"), stored in the turn's transaction. The staff's side
(reply, assign, note, close) is bot/conversation/handoffs.py; both are the only writers of
db/handoffs.py. Counters (daily, never a person; they outlive delete-my-data and retention):
("handoff", "<org code|none>:opened"), ("handoff", "<code>:answered") at the first staff reply,
("handoff", "<code>:closed:<outcome>"), ("handoff_rating", "<code>:yes|no")."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import Connection

from bot.days import mexico_day
from bot.engine import ConversationState
from bot.engine import handoff as engine_handoff
from db import handoffs as store
from db import organizations
from db.counters import bump

NO_ORGANIZATION = organizations.NO_ORGANIZATION
# The person went back to the bot (menu) before staff closed the conversation.
LEFT = "left"


def code_of(handoff: store.Handoff) -> str:
    return handoff.organization_code or NO_ORGANIZATION


# -- inside a turn -----------------------------------------------------------------------------

def organization_slot(conn: Connection, state: ConversationState, referral: str | None) -> None:
    """The name of the organization the person came through, for "who will answer" (once per
    person: "" when the code names no organization)."""
    if referral and engine_handoff.ORGANIZATION not in state.slots:
        found = organizations.by_code(conn, referral)
        state.slots[engine_handoff.ORGANIZATION] = found.name if found else ""


def apply(conn: Connection, contact_id: int, referral: str | None, channel: str, language: str,
          event: tuple[str, str], moment: dt.datetime) -> None:
    kind, value = event
    if kind == engine_handoff.OPEN:
        _open(conn, contact_id, referral, channel, language, value, moment)
    elif kind == engine_handoff.MESSAGE:
        found = store.open_for(conn, contact_id)
        if found is None:  # closed meanwhile by its retention: a new request
            _open(conn, contact_id, referral, channel, language, "message", moment)
            found = store.open_for(conn, contact_id)
        assert found is not None
        store.insert_message(conn, found, store.PERSON, value, moment)
    elif kind == engine_handoff.END:
        found = store.open_for(conn, contact_id)
        if found is not None:
            store.change(conn, found.id, status=store.CLOSED, closed_at=moment, outcome=LEFT)
    elif kind == engine_handoff.RATED and value in ("yes", "no"):
        closed = store.latest_closed(conn, contact_id)
        code = code_of(closed) if closed else NO_ORGANIZATION
        bump(conn, mexico_day(moment), Counter({("handoff_rating", f"{code}:{value}"): 1}))


def _open(conn: Connection, contact_id: int, referral: str | None, channel: str, language: str,
          topic: str, moment: dt.datetime) -> None:
    if store.open_for(conn, contact_id) is not None:
        return
    organization = organizations.by_code(conn, referral) if referral else None
    store.insert_handoff(conn, contact_id, organization.id if organization else None, channel, language,
                         topic, moment)
    code = organization.code if organization else NO_ORGANIZATION
    bump(conn, mexico_day(moment), Counter({("handoff", f"{code}:opened"): 1}))
