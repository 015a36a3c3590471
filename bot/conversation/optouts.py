"""Who must never be messaged first: STOP on WhatsApp, a Telegram user who blocked the bot,
Twilio error 21610. Replies to the user's own messages are not affected."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.conversation.claims import claim
from bot.conversation.service import ConversationService
from bot.days import mexico_day
from db import contacts as contact_store
from db.counters import bump


@dataclass(frozen=True)
class Marked:
    duplicate: bool = False
    contact_id: int | None = None
    language: str | None = None


class OptOuts:
    def __init__(self, conversations: ConversationService) -> None:
        self.conversations = conversations
        self.db = conversations.db

    async def mark(
        self,
        channel: str,
        user_key: str,
        opted_out: bool,
        *,
        external_id: str | None = None,
        inbound: bool = False,
        create: bool = False,
    ) -> Marked:
        """Set the contact's flag under the user's turn lock. `external_id` dedupes a keyword
        message like any other; `inbound` also opens WhatsApp's 24-hour window."""
        async with self.conversations.ordering.hold(channel, user_key):
            moment = self.conversations.now()
            with self.db.transaction() as conn:
                if not claim(conn, channel, external_id, moment):
                    return Marked(duplicate=True)
                if create:
                    contact = contact_store.find_or_create_contact(
                        conn, channel, user_key, moment, lock=not self.db.is_sqlite
                    )
                else:
                    contact = contact_store.find_contact(conn, channel, user_key)
                if contact is None:
                    return Marked()
                values: dict[str, object] = {"opted_out": opted_out}
                if inbound:
                    values["last_inbound_at"] = moment
                contact_store.update_contact(conn, contact.id, **values)
                if contact.opted_out != opted_out:
                    name = "opt_out" if opted_out else "opt_in"
                    bump(conn, mexico_day(moment), Counter({(name, channel): 1}))
            return Marked(False, contact.id, contact.language)

    def is_opted_out(self, channel: str, user_key: str) -> bool:
        with self.db.transaction() as conn:
            contact = contact_store.find_contact(conn, channel, user_key)
        return contact is not None and contact.opted_out
