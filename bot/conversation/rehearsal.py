"""A turn that is never kept (the admin's simulator): the real engine and real actions on a
throwaway contact, inside a transaction that is always rolled back, so no real contact,
conversation or counter is touched."""

from __future__ import annotations

import datetime as dt

from bot.conversation.drive import Driven, drive
from bot.conversation.service import ConversationService
from bot.engine import ConversationState, Engine
from bot.messages import Inbound
from db import contacts as contact_store


async def rehearse(
    conversations: ConversationService, engine: Engine, state: ConversationState, inbound: Inbound,
    key: str, now: float,
) -> Driven:
    """`key` orders the rehearsals of one staff session. Raises ActionFailed."""
    async with conversations.ordering.hold(inbound.channel, key):
        with conversations.db.rolled_back() as conn:
            # A contact for actions that need one; the rollback removes it and their writes.
            contact_id = contact_store.insert_contact(conn, dt.datetime.now(dt.UTC))
            return await drive(engine, conversations.bridge, state, inbound, now, contact_id=str(contact_id))
