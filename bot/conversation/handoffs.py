"""Conversations with a person of the staff, the conversation's side: what a turn named
(Turn.handoff: opened, a message for staff, the person went back to the bot, "did this help?")
stored in the turn's transaction, and what staff do from the admin (reply through the outbox,
assign, note, close), each under the person's turn order. The only writer of db/handoffs.py.

Counters (daily, no person; they outlive delete-my-data and the retention):
("handoff", "<org code|none>:opened"), ("handoff", "<code>:answered") at the first staff reply,
("handoff", "<code>:closed:<outcome>"), ("handoff_rating", "<code>:yes|no")."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection

from bot.conversation import whatsapp_window
from bot.conversation.handoff_turns import code_of
from bot.conversation.service import ConversationService
from bot.days import mexico_day
from bot.engine import ConversationState
from bot.engine import handoff as engine_handoff
from bot.messages import Delivery, DeliveryStatus, Notifier, Outbound
from db import contacts as contact_store
from db import handoffs as store
from db import organizations
from db.counters import bump
from db.database import Database
from db.outbound import recipient

NO_ORGANIZATION = organizations.NO_ORGANIZATION


# -- staff, from the admin ---------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    """Whether staff may write freely now (WhatsApp's 24 hours since the person's last message)."""

    open: bool
    closes_at: dt.datetime | None


class StaffActions:
    """What a caseworker does to a handoff. The admin checks who may; this stores it."""

    def __init__(self, conversations: ConversationService, notifier: Notifier) -> None:
        self.conversations = conversations
        self.db: Database = conversations.db
        self.notifier = notifier

    def window(self, conn: Connection, handoff: store.Handoff) -> Window:
        if not whatsapp_window.applies(handoff.channel):
            return Window(True, None)
        who = recipient(conn, handoff.contact_id)
        last = who.last_inbound_at if who else None
        person = store.last_person_message(conn, handoff.id)
        latest = max((m for m in (last, person) if m is not None), default=None)
        closes = latest + whatsapp_window.WINDOW if latest else None
        return Window(whatsapp_window.is_open(latest, self.conversations.now()), closes)

    async def reply(self, handoff_id: int, staff_id: int, text: str) -> Delivery:
        """Sends a staff reply on the person's channel, through the outbox (rendered and split
        like the bot's messages). Refused outside WhatsApp's window: only a template may open it."""
        with self.db.transaction() as conn:
            found = store.get(conn, handoff_id)
            if found is None or found.status != store.OPEN:
                return Delivery(DeliveryStatus.FAILED, "the conversation is closed")
            if not self.window(conn, found).open:
                return Delivery(DeliveryStatus.NOT_SENDABLE, "outside the 24-hour window and no template")
        delivery = await self.notifier.send(found.contact_id, [Outbound(text)], kind="staff")
        if delivery.status is DeliveryStatus.SENT or delivery.retry_at is not None:
            moment = self.conversations.now()
            with self.db.transaction() as conn:
                store.insert_message(conn, found, store.STAFF, text, moment, staff_id=staff_id)
                if found.first_answer_at is None:
                    store.change(conn, found.id, first_answer_at=moment)
                    bump(conn, mexico_day(moment), Counter({("handoff", f"{code_of(found)}:answered"): 1}))
        return delivery

    def note(self, handoff_id: int, staff_id: int, text: str) -> None:
        """An internal note: staff only, never sent."""
        with self.db.transaction() as conn:
            found = store.get(conn, handoff_id)
            if found is not None:
                store.insert_message(conn, found, store.NOTE, text, self.conversations.now(), staff_id=staff_id)

    def assign(self, handoff_id: int, staff_id: int | None) -> None:
        with self.db.transaction() as conn:
            store.change(conn, handoff_id, assigned_to=staff_id)

    async def close(self, handoff_id: int, outcome: str) -> Delivery | None:
        """Closes with an outcome; the person is back with the bot and asked "did this help?"
        (None when the conversation was closed already)."""
        assert outcome in store.OUTCOMES, outcome
        with self.db.transaction() as conn:
            found = store.get(conn, handoff_id)
            who = recipient(conn, found.contact_id) if found else None
        if found is None or found.status != store.OPEN or who is None:
            return None
        user_key = next((k for c, k in who.identities if c == found.channel), str(found.contact_id))
        async with self.conversations.serialized(found.channel, user_key):
            moment = self.conversations.now()
            with self.db.transaction() as conn:
                current = store.get(conn, handoff_id)
                if current is None or current.status != store.OPEN:
                    return None
                store.change(conn, handoff_id, status=store.CLOSED, closed_at=moment, outcome=outcome)
                bump(conn, mexico_day(moment), Counter({("handoff", f"{code_of(found)}:closed:{outcome}"): 1}))
                state = ConversationState.from_json(contact_store.load_state(conn, found.contact_id))
                state.slots.pop(engine_handoff.WITH_PERSON, None)
                state.pending = engine_handoff.RATING
                contact_store.save_state(conn, found.contact_id, state.to_json(), moment)
                language = state.language or found.language
                window = self.window(conn, current)
        if not window.open:
            # Only a template could reach the person now: the question waits in the state and
            # is read if they answer it when they write again.
            return None
        engine = self.conversations.live.engine
        question = engine_handoff.rating_question(engine.content, engine.formatter, language)
        return await self.notifier.send(found.contact_id, [question], kind="staff")


def purge(conn: Connection, now: dt.datetime, days: int) -> int:
    """Deletes handoffs closed more than `days` ago, with their messages; how many."""
    return store.purge_closed(conn, now - dt.timedelta(days=days))
