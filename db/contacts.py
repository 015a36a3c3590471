"""Contacts, their channel identities and their conversation state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.tables import contacts, conversations, identities, processed_messages


@dataclass(frozen=True)
class Contact:
    id: int
    language: str | None
    referral: str | None
    opted_out: bool
    created: bool = False


def claim_message(conn: Connection, channel: str, external_id: str, now: dt.datetime) -> bool:
    """Record an inbound message id; False when it was already there (a redelivery)."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(processed_messages).values(channel=channel, external_id=external_id, processed_at=now)
            )
    except IntegrityError:
        return False
    return True


def find_contact(conn: Connection, channel: str, user_key: str, *, lock: bool = False) -> Contact | None:
    query = (
        select(contacts.c.id, contacts.c.language, contacts.c.referral, contacts.c.opted_out)
        .join(identities, identities.c.contact_id == contacts.c.id)
        .where(identities.c.channel == channel, identities.c.user_key == user_key)
    )
    if lock:
        query = query.with_for_update(of=contacts)
    row = conn.execute(query).first()
    return Contact(row.id, row.language, row.referral, bool(row.opted_out)) if row else None


def find_or_create_contact(
    conn: Connection, channel: str, user_key: str, now: dt.datetime, *, lock: bool = False
) -> Contact:
    found = find_contact(conn, channel, user_key, lock=lock)
    if found:
        return found
    try:
        with conn.begin_nested():
            contact_id = conn.execute(
                insert(contacts).values(created_at=now, opted_out=False).returning(contacts.c.id)
            ).scalar_one()
            conn.execute(insert(identities).values(contact_id=contact_id, channel=channel, user_key=user_key))
    except IntegrityError:
        # Another worker created it a moment ago.
        found = find_contact(conn, channel, user_key, lock=lock)
        assert found is not None
        return found
    return Contact(contact_id, None, None, False, created=True)


def update_contact(conn: Connection, contact_id: int, **values: Any) -> None:
    conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**values))


def user_keys(conn: Connection, contact_id: int) -> list[tuple[str, str]]:
    rows = conn.execute(
        select(identities.c.channel, identities.c.user_key).where(identities.c.contact_id == contact_id)
    )
    return [(r.channel, r.user_key) for r in rows]


def load_state(conn: Connection, contact_id: int) -> dict[str, Any] | None:
    return conn.execute(
        select(conversations.c.state).where(conversations.c.contact_id == contact_id)
    ).scalar_one_or_none()


def save_state(conn: Connection, contact_id: int, state: dict[str, Any], now: dt.datetime) -> None:
    changed = conn.execute(
        update(conversations)
        .where(conversations.c.contact_id == contact_id)
        .values(state=state, updated_at=now)
    ).rowcount
    if not changed:
        conn.execute(insert(conversations).values(contact_id=contact_id, state=state, updated_at=now))


def delete_contact(conn: Connection, contact_id: int) -> None:
    """Everything personal goes: every table with personal data cascades from contacts."""
    conn.execute(delete(contacts).where(contacts.c.id == contact_id))
