"""Conversations handed to a person (a caseworker of a partner organization): the handoff and
the messages since the request (the person's, staff replies, internal notes). Rows cascade from
the contact, so delete-my-data removes them; closed handoffs are purged after the retention
setting (HANDOFF_RETENTION_DAYS). Only bot/conversation/handoffs.py writes them; the admin reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column, Connection, DateTime, ForeignKey, Integer, String, Table, Text, delete, func, insert, or_, select,
    update,
)

from db.admin import staff_users
from db.organizations import organizations
from db.tables import contact_fk, metadata

OPEN, CLOSED = "open", "closed"
OUTCOMES = ("answered", "referred", "registered", "no_reply")
# Who wrote a handoff message: the person, a staff reply (sent to the person), a note (staff only).
PERSON, STAFF, NOTE = "person", "staff", "note"
TEXT_CHARS = 4000

handoffs = Table(
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    # The organization the person arrived through (contacts.referral); None: the network's queue.
    Column("organization_id", Integer, ForeignKey("organizations.id", ondelete="SET NULL"), index=True),
    Column("channel", String(16), nullable=False),
    Column("language", String(8), nullable=False),
    # Where the person asked: a step ref, "menu", "misses"... (never their words).
    Column("topic", String(128)),
    Column("status", String(8), nullable=False, index=True),
    Column("assigned_to", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("first_answer_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True), index=True),
    Column("outcome", String(16)),
)

handoff_messages = Table(
    "handoff_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True),
    contact_fk(),
    Column("author", String(8), nullable=False),
    # The staff member who wrote a reply or a note.
    Column("staff_id", Integer, ForeignKey("staff_users.id", ondelete="SET NULL")),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Handoff:
    id: int
    contact_id: int
    organization_id: int | None
    organization_code: str | None
    organization_name: str | None
    channel: str
    language: str
    topic: str | None
    status: str
    assigned_to: int | None
    assigned_login: str | None
    opened_at: dt.datetime
    first_answer_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome: str | None


@dataclass(frozen=True)
class Message:
    id: int
    author: str
    staff_login: str | None
    text: str
    created_at: dt.datetime


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC
    return moment


def _select() -> Any:
    return (
        select(handoffs, organizations.c.code.label("org_code"), organizations.c.name.label("org_name"),
               staff_users.c.login.label("assigned_login"))
        .select_from(handoffs.outerjoin(organizations, organizations.c.id == handoffs.c.organization_id)
                     .outerjoin(staff_users, staff_users.c.id == handoffs.c.assigned_to))
    )


def _handoff(row: Any) -> Handoff:
    return Handoff(
        row.id, row.contact_id, row.organization_id, row.org_code, row.org_name, row.channel, row.language,
        row.topic, row.status, row.assigned_to, row.assigned_login, _aware(row.opened_at),  # type: ignore[arg-type]
        _aware(row.first_answer_at), _aware(row.closed_at), row.outcome,
    )


def visible_to(organization_id: int | None, everything: bool) -> Any:
    """Which handoffs an account sees: administrators every one; anyone else their
    organization's and those of no organization (the network's queue)."""
    if everything:
        return handoffs.c.id.is_not(None)
    if organization_id is None:
        return handoffs.c.organization_id.is_(None)
    return or_(handoffs.c.organization_id == organization_id, handoffs.c.organization_id.is_(None))


# -- reads ---------------------------------------------------------------------------------------

def get(conn: Connection, handoff_id: int) -> Handoff | None:
    row = conn.execute(_select().where(handoffs.c.id == handoff_id)).first()
    return _handoff(row) if row else None


def open_for(conn: Connection, contact_id: int) -> Handoff | None:
    row = conn.execute(_select().where(handoffs.c.contact_id == contact_id, handoffs.c.status == OPEN)
                       .order_by(handoffs.c.id.desc()).limit(1)).first()
    return _handoff(row) if row else None


def latest_closed(conn: Connection, contact_id: int) -> Handoff | None:
    row = conn.execute(_select().where(handoffs.c.contact_id == contact_id, handoffs.c.status == CLOSED)
                       .order_by(handoffs.c.id.desc()).limit(1)).first()
    return _handoff(row) if row else None


def open_list(conn: Connection, where: Any) -> list[Handoff]:
    """Open handoffs, the longest waiting first."""
    rows = conn.execute(_select().where(handoffs.c.status == OPEN, where).order_by(handoffs.c.opened_at))
    return [_handoff(r) for r in rows]


def open_count(conn: Connection, where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(handoffs).where(handoffs.c.status == OPEN, where))
               .scalar_one())


def messages(conn: Connection, handoff_id: int) -> list[Message]:
    rows = conn.execute(
        select(handoff_messages, staff_users.c.login)
        .select_from(handoff_messages.outerjoin(staff_users, staff_users.c.id == handoff_messages.c.staff_id))
        .where(handoff_messages.c.handoff_id == handoff_id).order_by(handoff_messages.c.id)
    )
    return [Message(r.id, r.author, r.login, r.text, _aware(r.created_at)) for r in rows]  # type: ignore[arg-type]


def last_person_message(conn: Connection, handoff_id: int) -> dt.datetime | None:
    return _aware(conn.execute(
        select(func.max(handoff_messages.c.created_at))
        .where(handoff_messages.c.handoff_id == handoff_id, handoff_messages.c.author == PERSON)
    ).scalar())


# -- writes (bot/conversation/handoffs.py only) -------------------------------------------------

def insert_handoff(conn: Connection, contact_id: int, organization_id: int | None, channel: str, language: str,
                   topic: str | None, now: dt.datetime) -> int:
    return int(conn.execute(insert(handoffs).values(
        contact_id=contact_id, organization_id=organization_id, channel=channel[:16], language=language[:8],
        topic=(topic or "")[:128] or None, status=OPEN, opened_at=now,
    ).returning(handoffs.c.id)).scalar_one())


def insert_message(conn: Connection, handoff: Handoff, author: str, text: str, now: dt.datetime,
                   staff_id: int | None = None) -> None:
    conn.execute(insert(handoff_messages).values(
        handoff_id=handoff.id, contact_id=handoff.contact_id, author=author, staff_id=staff_id,
        text=text[:TEXT_CHARS], created_at=now,
    ))


def change(conn: Connection, handoff_id: int, **values: Any) -> None:
    conn.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(**values))


def purge_closed(conn: Connection, before: dt.datetime) -> int:
    """Deletes handoffs closed before `before` (their messages cascade); how many."""
    old = select(handoffs.c.id).where(handoffs.c.status == CLOSED, handoffs.c.closed_at < before)
    ids = [r[0] for r in conn.execute(old)]
    if not ids:
        return 0
    conn.execute(delete(handoff_messages).where(handoff_messages.c.handoff_id.in_(ids)))
    conn.execute(delete(handoffs).where(handoffs.c.id.in_(ids)))
    return len(ids)
