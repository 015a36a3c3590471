"""Messages the bot could not place, kept 30 days for staff (digits and e-mail addresses masked
before they get here: bot/conversation/unanswered.py), with the topic the person chose after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Column, DateTime, Integer, String, Table, delete, desc, func, select, update
from sqlalchemy.engine import Connection

from db.tables import contact_fk, metadata

TEXT_CHARS = 300

unanswered_messages = Table(
    "unanswered_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("language", String(8), nullable=False),
    # Where it was typed: a step ref, or "first" for a first message.
    Column("step", String(80), nullable=False),
    # Masked: every digit is '#', anything like an e-mail address is '[email]'.
    Column("text", String(TEXT_CHARS), nullable=False),
    # The topic (intent) the person reached in the next turns, if any.
    Column("topic", String(80)),
    # The intent an editor added it to as an example (in the content draft).
    Column("added_to", String(80)),
)


@dataclass(frozen=True)
class Unanswered:
    id: int
    created_at: dt.datetime
    language: str
    step: str
    text: str
    topic: str | None
    added_to: str | None


def insert(conn: Connection, contact_id: int, text: str, language: str, step: str, at: dt.datetime) -> None:
    conn.execute(unanswered_messages.insert().values(
        contact_id=contact_id, created_at=at, language=language[:8], step=step[:80],
        text=text[:TEXT_CHARS],
    ))


def note_topic(conn: Connection, contact_id: int, topic: str, since: dt.datetime) -> None:
    """The person's latest unanswered message since `since` was about `topic`."""
    latest = (
        select(unanswered_messages.c.id)
        .where(unanswered_messages.c.contact_id == contact_id, unanswered_messages.c.topic.is_(None),
               unanswered_messages.c.created_at >= since)
        .order_by(desc(unanswered_messages.c.id)).limit(1)
    ).scalar_subquery()
    conn.execute(update(unanswered_messages).where(unanswered_messages.c.id == latest).values(topic=topic[:80]))


def listing(conn: Connection, *, language: str | None = None, topic: str | None = None,
            limit: int = 200) -> list[Unanswered]:
    query = select(unanswered_messages).order_by(desc(unanswered_messages.c.id)).limit(limit)
    if language:
        query = query.where(unanswered_messages.c.language == language)
    if topic == "-":
        query = query.where(unanswered_messages.c.topic.is_(None))
    elif topic:
        query = query.where(unanswered_messages.c.topic == topic)
    return [_row(row) for row in conn.execute(query)]


def counts(conn: Connection) -> list[tuple[str, str | None, int]]:
    """(language, topic chosen after, how many), the largest groups first."""
    c = unanswered_messages.c
    query = (select(c.language, c.topic, func.count()).group_by(c.language, c.topic)
             .order_by(desc(func.count()), c.language))
    return [(lang, topic, int(n)) for lang, topic, n in conn.execute(query)]


def find(conn: Connection, message_id: int) -> Unanswered | None:
    row = conn.execute(select(unanswered_messages).where(unanswered_messages.c.id == message_id)).first()
    return _row(row) if row else None


def mark_added(conn: Connection, message_id: int, intent: str) -> None:
    conn.execute(update(unanswered_messages).where(unanswered_messages.c.id == message_id)
                 .values(added_to=intent[:80]))


def purge(conn: Connection, before: dt.datetime) -> int:
    result = conn.execute(delete(unanswered_messages).where(unanswered_messages.c.created_at < before))
    return int(result.rowcount or 0)


def _row(row: object) -> Unanswered:
    m = row._mapping  # type: ignore[attr-defined]
    return Unanswered(m["id"], m["created_at"], m["language"], m["step"], m["text"], m["topic"], m["added_to"])
