"""Messages the bot sent first (alerts, staff replies): what was sent, kept back or refused, and
the delivery status the platform reported later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Integer,
    String,
    Table,
    insert,
    select,
    update,
)

from db.tables import contact_fk, contacts, identities, metadata

outbound_messages = Table(
    "outbound_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    Column("channel", String(16), nullable=False),
    # What the message was for ("alert", "staff"), chosen by the caller of the Notifier.
    Column("kind", String(32), nullable=False),
    # sent / not_sendable / opted_out / failed, then what the platform reports (delivered, read...).
    Column("status", String(16), nullable=False),
    # Twilio MessageSid, or "<chat id>:<message id>" on Telegram: status callbacks find it here.
    Column("external_id", String(64), index=True),
    # {"text": ..., "choices": [...]} or {"content_sid": ..., "variables": {...}}
    Column("body", JSON, nullable=False),
    # An error code or type ("21610", "Forbidden"), never a message text.
    Column("error", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Platform statuses in the order they happen: a late "sent" never overwrites "delivered".
_ORDER = {"queued": 0, "accepted": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}
_FINAL = {"failed", "undelivered", "not_sendable", "opted_out"}


@dataclass(frozen=True)
class Recipient:
    """What the Notifier needs to know before messaging a contact first."""

    contact_id: int
    language: str | None
    opted_out: bool
    last_inbound_at: dt.datetime | None
    identities: tuple[tuple[str, str], ...]


def recipient(conn: Connection, contact_id: int) -> Recipient | None:
    row = conn.execute(
        select(contacts.c.language, contacts.c.opted_out, contacts.c.last_inbound_at).where(
            contacts.c.id == contact_id
        )
    ).first()
    if row is None:
        return None
    keys = conn.execute(
        select(identities.c.channel, identities.c.user_key)
        .where(identities.c.contact_id == contact_id)
        .order_by(identities.c.id)
    ).all()
    last = row.last_inbound_at
    if last is not None and last.tzinfo is None:  # SQLite hands back naive UTC datetimes
        last = last.replace(tzinfo=dt.UTC)
    return Recipient(
        contact_id, row.language, bool(row.opted_out), last, tuple((k.channel, k.user_key) for k in keys)
    )


def record(
    conn: Connection,
    *,
    contact_id: int,
    channel: str,
    kind: str,
    status: str,
    body: dict[str, Any],
    now: dt.datetime,
    external_id: str | None = None,
    error: str | None = None,
) -> int:
    return conn.execute(
        insert(outbound_messages)
        .values(
            contact_id=contact_id, channel=channel, kind=kind[:32], status=status, body=body,
            external_id=external_id, error=error, created_at=now, updated_at=now,
        )
        .returning(outbound_messages.c.id)
    ).scalar_one()


def report_status(
    conn: Connection, channel: str, external_id: str, status: str, error: str | None, now: dt.datetime
) -> int | None:
    """A platform's status report; returns the contact id when the message is ours."""
    row = conn.execute(
        select(outbound_messages.c.id, outbound_messages.c.status, outbound_messages.c.contact_id).where(
            outbound_messages.c.channel == channel, outbound_messages.c.external_id == external_id
        )
    ).first()
    if row is None:
        return None
    if _advances(row.status, status):
        conn.execute(
            update(outbound_messages)
            .where(outbound_messages.c.id == row.id)
            .values(status=status[:16], error=error, updated_at=now)
        )
    return int(row.contact_id)


def _advances(current: str, new: str) -> bool:
    if current in _FINAL:
        return False
    if new in _FINAL:
        return True
    return _ORDER.get(new, -1) > _ORDER.get(current, -1)


def statuses(conn: Connection, contact_id: int | None = None) -> list[tuple[str, str]]:
    """(kind, status) of every outbound message, oldest first (for reports and tests)."""
    query = select(outbound_messages.c.kind, outbound_messages.c.status).order_by(outbound_messages.c.id)
    if contact_id is not None:
        query = query.where(outbound_messages.c.contact_id == contact_id)
    return [(r.kind, r.status) for r in conn.execute(query)]


__all__ = ["JSON", "outbound_messages", "recipient", "record", "report_status", "statuses"]
