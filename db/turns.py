"""What one turn reads and writes, in as few statements as a turn can take.

A turn runs: claim the message id (contacts.claim_message), one SELECT for the contact, its
saved state, when it last wrote, the newest published content revision and whether it has
outbound rows still waiting (`load`), then
one upsert of the state (contacts.save_state) and, at most once a minute per person, the
contact's last_inbound_at. Every statement is built once per SQL dialect with bound
parameters. Measured in docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.sql import Executable

from db import driver, outbound, revisions
from db.contacts import Contact, create_contact, load_state
from db.tables import contacts, conversations, identities

# last_inbound_at is kept to this precision (it opens WhatsApp's 24-hour window, which is
# then at most this much shorter than Meta's): most turns skip the UPDATE.
TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class Loaded:
    contact: Contact
    state: dict[str, Any] | None
    last_inbound_at: dt.datetime | None
    newest_revision: int | None
    # The contact has outbound rows waiting or being sent: the turn's replies may have to
    # queue behind them (bot/conversation/answers.py asks when).
    outbound_unfinished: bool = False

    def touch_due(self, now: dt.datetime) -> bool:
        last = self.last_inbound_at
        if last is None:
            return True
        if last.tzinfo is None:  # SQLite gives naive UTC
            last = last.replace(tzinfo=dt.UTC)
        return not (dt.timedelta(0) <= now - last < TOUCH_EVERY)


@cache
def _load_statement(dialect: str, lock: bool) -> Executable:
    newest = revisions.NEWEST.scalar_subquery()
    query = (
        select(contacts.c.id, contacts.c.language, contacts.c.referral, contacts.c.opted_out,
               contacts.c.last_inbound_at, conversations.c.state, newest.label("newest"),
               outbound.unfinished_of(contacts.c.id).label("unfinished"))
        .select_from(identities.join(contacts, identities.c.contact_id == contacts.c.id)
                     .outerjoin(conversations, conversations.c.contact_id == contacts.c.id))
        .where(identities.c.channel == bindparam("channel"), identities.c.user_key == bindparam("user_key"))
    )
    return query.with_for_update(of=contacts) if lock and dialect == "postgresql" else query


def load(conn: Connection, channel: str, user_key: str, now: dt.datetime, *, lock: bool = False) -> Loaded:
    """The contact (created on first contact), its state and the newest revision number; with
    `lock` (PostgreSQL) the contact row stays locked until the turn commits."""
    statement = _load_statement(conn.dialect.name, lock)
    rows = driver.run(conn, statement, {"channel": channel, "user_key": user_key})
    if rows:
        row = rows[0]
        contact = Contact(row.id, row.language, row.referral, bool(row.opted_out))
        return Loaded(contact, row.state, row.last_inbound_at, row.newest, bool(row.unfinished))
    contact = create_contact(conn, channel, user_key, now, lock=lock)
    state = None if contact.created else load_state(conn, contact.id)
    # (Made by another worker a moment ago, it may have rows already: the turn asks.)
    return Loaded(contact, state, None, revisions.newest_number(conn), outbound_unfinished=not contact.created)
