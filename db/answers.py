"""A turn's stored answer: the replies that ride in the webhook's response (as the channel
rendered them) and the outbound_messages rows of those sent through the platform's API,
written in the turn's own transaction with its state and message id. A redelivered update
(the platform did not get the response) is answered from here again, never run again.
Kept as long as the message id (db.contacts.prune_processed)."""

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
    UniqueConstraint,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from db import driver
from db.tables import contact_fk, metadata

turn_answers = Table(
    "turn_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("external_id", String(128), nullable=False),
    # Replies may quote what the person said: they go with the person (delete my data).
    contact_fk(),
    # The channel's records of the messages in the response (Message.record()).
    Column("replies", JSON, nullable=False),
    # outbound_messages ids of the messages sent through the API, in order.
    Column("outbound", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    UniqueConstraint("channel", "external_id", name="uq_turn_answers_channel_external"),
)


@dataclass(frozen=True)
class StoredAnswer:
    id: int
    contact_id: int
    replies: list[dict[str, Any]]
    outbound: list[int]


def store(conn: Connection, *, channel: str, external_id: str, contact_id: int,
          replies: list[dict[str, Any]], outbound: list[int], now: dt.datetime) -> int:
    """In the turn's transaction (every webhook turn): the statement is built once (db/driver.py)."""
    return int(driver.run(conn, _STORE, {
        "channel": channel, "external_id": external_id[:128], "contact_id": contact_id, "replies": replies,
        "outbound": outbound, "now": now,
    })[0][0])


_STORE = insert(turn_answers).values(
    channel=bindparam("channel"), external_id=bindparam("external_id"), contact_id=bindparam("contact_id"),
    replies=bindparam("replies"), outbound=bindparam("outbound"), created_at=bindparam("now"),
).returning(turn_answers.c.id)


def find(conn: Connection, channel: str, external_id: str) -> StoredAnswer | None:
    row = conn.execute(
        select(turn_answers.c.id, turn_answers.c.contact_id, turn_answers.c.replies, turn_answers.c.outbound)
        .where(turn_answers.c.channel == channel, turn_answers.c.external_id == external_id[:128])
    ).first()
    return StoredAnswer(row.id, row.contact_id, list(row.replies), list(row.outbound)) if row else None


def move_to_outbox(conn: Connection, answer_id: int, outbound: list[int]) -> None:
    """The replies that were to ride in the response went to the outbox instead (behind
    messages the platform had not accepted yet): a redelivery must not carry them again."""
    conn.execute(update(turn_answers).where(turn_answers.c.id == answer_id).values(replies=[], outbound=outbound))


def prune(conn: Connection, before: dt.datetime) -> int:
    return int(conn.execute(delete(turn_answers).where(turn_answers.c.created_at < before)).rowcount or 0)


__all__ = ["StoredAnswer", "find", "move_to_outbox", "prune", "store", "turn_answers"]
