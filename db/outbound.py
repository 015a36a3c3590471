"""Messages sent through a platform's API (alerts, staff replies, replies sent by REST): what
was sent, kept back or refused, what waits for another try, and the delivery status the
platform reported later. A row is the truth about its message: it is claimed (status
"sending") before it leaves, so two workers never send it twice."""

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
    and_,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)

from db import claimants, driver
from db.tables import contact_fk, contacts, identities, metadata

outbound_messages = Table(
    "outbound_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    Column("channel", String(16), nullable=False),
    # What the message was for ("alert", "staff"), chosen by the caller of the Notifier.
    Column("kind", String(32), nullable=False),
    # pending (waits for its first try) / sending (claimed by one worker) / sent / not_sendable /
    # opted_out / failed (tried again at next_attempt_at when set), then what the platform
    # reports (delivered, read...).
    Column("status", String(16), nullable=False),
    # Twilio MessageSid, or "<chat id>:<message id>" on Telegram: status callbacks find it here.
    Column("external_id", String(64), index=True),
    # {"text": ..., "choices": [...]} or {"content_sid": ..., "variables": {...}}
    Column("body", JSON, nullable=False),
    # An error code or type ("21610", "Forbidden"), never a message text.
    Column("error", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Tries so far, when the next one is due (None: no try is due), why the last one failed.
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), index=True),
    Column("last_error", String(64)),
    # Who claimed it for sending (db/claimants.py): a claim whose process is gone is taken at once.
    Column("claimed_by", String(64)),
)

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# A pending row whose sender is still about to claim it is left alone this long (the sender
# claims it within milliseconds; a crash in between leaves it to the job queue's sweep, which
# takes it at once when the process that wrote it is gone from this machine: db/claimants.py).
GRACE = dt.timedelta(seconds=30)
# The error of a row whose send was cut off: the platform may have it (db/interrupted.py).
INTERRUPTED = "interrupted"



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


def enqueue(
    conn: Connection,
    *,
    contact_id: int,
    channel: str,
    kind: str,
    bodies: list[dict[str, Any]],
    now: dt.datetime,
) -> list[int]:
    """Rows waiting to be sent, in order; a worker may take them once GRACE has passed (the
    caller is expected to claim and send them at once). A turn runs it: the statement is
    built once (db/driver.py)."""
    params = {"contact_id": contact_id, "channel": channel, "kind": kind[:32], "now": now, "due": now + GRACE,
              "claimant": claimants.this()}
    return [int(driver.run(conn, _ENQUEUE, {**params, "body": body})[0][0]) for body in bodies]


_ENQUEUE = insert(outbound_messages).values(
    contact_id=bindparam("contact_id"), channel=bindparam("channel"), kind=bindparam("kind"),
    status=literal_column(f"'{PENDING}'"), body=bindparam("body"), created_at=bindparam("now"),
    updated_at=bindparam("now"), attempts=literal_column("0"), next_attempt_at=bindparam("due"),
    claimed_by=bindparam("claimant"),
).returning(outbound_messages.c.id)


@dataclass(frozen=True)
class Claimed:
    """A row this worker now owns until it records the outcome."""

    id: int
    contact_id: int
    channel: str
    kind: str
    body: dict[str, Any]
    attempts: int
    created_at: dt.datetime
    # Its last send was cut off (INTERRUPTED): the platform may have it.
    interrupted: bool = False


def _waiting() -> Any:
    """Rows a sender may still take: never tried, or failed with another try planned (constants
    inlined: prebuilt statements use it too, and their only parameters are their bindparams)."""
    status = outbound_messages.c.status
    return or_(
        status == literal_column(f"'{PENDING}'"),
        and_(status == literal_column(f"'{FAILED}'"), outbound_messages.c.next_attempt_at.is_not(None)),
    )


def claim(conn: Connection, row_id: int, now: dt.datetime, *, due_only: bool = True) -> Claimed | None:
    """Take one row for sending (None: another worker has it, or it is not waiting). One
    UPDATE ... WHERE status is still waiting: of two workers, only one gets the row back.
    `due_only` False: the caller that enqueued the row claims it before GRACE is over."""
    condition = and_(outbound_messages.c.id == row_id, _waiting())
    if due_only:
        condition = and_(condition, outbound_messages.c.next_attempt_at <= now)
    row = conn.execute(
        update(outbound_messages)
        .where(condition)
        .values(status=SENDING, updated_at=now, claimed_by=claimants.this())
        .returning(
            outbound_messages.c.id, outbound_messages.c.contact_id, outbound_messages.c.channel,
            outbound_messages.c.kind, outbound_messages.c.body, outbound_messages.c.attempts,
            outbound_messages.c.created_at, outbound_messages.c.error,
        )
    ).first()
    if row is None:
        return None
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    return Claimed(row.id, row.contact_id, row.channel, row.kind, row.body, row.attempts, created,
                   row.error == INTERRUPTED)


def being_sent(conn: Connection, row_id: int) -> bool:
    """Whether another sender holds the row (claimed, its send not written down yet)."""
    status = conn.execute(select(outbound_messages.c.status).where(outbound_messages.c.id == row_id)).scalar()
    return status == SENDING


def mark_sent(conn: Connection, row_id: int, external_id: str | None, now: dt.datetime) -> None:
    conn.execute(
        update(outbound_messages)
        .where(outbound_messages.c.id == row_id)
        .values(status=SENT, external_id=external_id, attempts=outbound_messages.c.attempts + 1,
                next_attempt_at=None, last_error=None, error=None, updated_at=now)
    )


def mark_retry(conn: Connection, row_id: int, error: str, at: dt.datetime, now: dt.datetime) -> None:
    """Not accepted this time: failed for now, tried again at `at`."""
    conn.execute(
        update(outbound_messages)
        .where(outbound_messages.c.id == row_id)
        .values(status=FAILED, error=error[:64], last_error=error[:64], next_attempt_at=at,
                attempts=outbound_messages.c.attempts + 1, updated_at=now)
    )


def mark_final(conn: Connection, row_id: int, status: str, error: str | None, now: dt.datetime, *,
               tried: bool = True) -> None:
    """The end of a row that was not sent: failed, opted_out or not_sendable, no try planned."""
    values: dict[str, Any] = {"status": status, "error": error, "next_attempt_at": None, "updated_at": now}
    if error is not None:
        values["last_error"] = error[:64]
    if tried:
        values["attempts"] = outbound_messages.c.attempts + 1
    conn.execute(update(outbound_messages).where(outbound_messages.c.id == row_id).values(**values))


def postpone(conn: Connection, row_ids: list[int], at: dt.datetime, now: dt.datetime) -> None:
    """Rows behind one that waits for another try wait with it: one person's messages keep
    their order."""
    if row_ids:
        conn.execute(
            update(outbound_messages)
            .where(outbound_messages.c.id.in_(row_ids), outbound_messages.c.status == PENDING)
            .values(next_attempt_at=at, updated_at=now)
        )


def ahead_of(conn: Connection, contact_id: int, row_id: int | None, now: dt.datetime) -> dt.datetime | None:
    """When the contact's earlier rows still waiting (or being sent) will be tried; None when
    nothing is ahead of `row_id` (None: of a row not yet written). Every turn with replies
    asks (answers.keep): the statements are built once (db/driver.py)."""
    if row_id is None:
        found = driver.run(conn, _AHEAD, {"contact_id": contact_id})
    else:
        found = driver.run(conn, _AHEAD_OF_ROW, {"contact_id": contact_id, "row_id": row_id})
    if not found:
        return None
    moments = [m if m.tzinfo else m.replace(tzinfo=dt.UTC) for _, m in found if m is not None]
    if any(status == SENDING for status, _ in found):
        moments.append(now + GRACE)
    return min(moments) if moments else now + GRACE


def _unfinished() -> Any:
    """Rows waiting for a try or being sent."""
    return or_(_waiting(), outbound_messages.c.status == literal_column(f"'{SENDING}'"))


def unfinished_of(contact_id: Any) -> Any:
    """EXISTS: the contact has a row waiting or being sent (a column of the turn's one read,
    db/turns.py: when false, nothing can be ahead of the turn's replies)."""
    return exists().where(outbound_messages.c.contact_id == contact_id, _unfinished())


def _ahead(*where: Any) -> Any:
    """The contact's rows waiting or being sent, earliest next try per status."""
    status = outbound_messages.c.status
    return (
        select(status, func.min(outbound_messages.c.next_attempt_at).label("next_try"))
        .where(outbound_messages.c.contact_id == bindparam("contact_id"), *where, _unfinished())
        .group_by(status)
    )


_AHEAD = _ahead()
_AHEAD_OF_ROW = _ahead(outbound_messages.c.id < bindparam("row_id"))


def due(conn: Connection, contact_id: int, now: dt.datetime) -> list[int]:
    """The contact's rows whose try is due, oldest first; none behind a row still being sent
    (or whose sender died: it is looked for at the platform first, and the order holds)."""
    mine = outbound_messages.c.contact_id == contact_id
    sending = conn.execute(
        select(func.min(outbound_messages.c.id)).where(mine, outbound_messages.c.status == SENDING)
    ).scalar()
    condition = and_(mine, _waiting(), outbound_messages.c.next_attempt_at <= now)
    if sending is not None:
        condition = and_(condition, outbound_messages.c.id < sending)
    query = select(outbound_messages.c.id).where(condition).order_by(outbound_messages.c.id)
    return list(conn.execute(query).scalars())


def due_contacts(conn: Connection, now: dt.datetime, limit: int = 500) -> list[int]:
    """Contacts with a row due, the longest waiting first."""
    oldest = func.min(outbound_messages.c.next_attempt_at)
    return list(conn.execute(
        select(outbound_messages.c.contact_id)
        .where(outbound_messages.c.next_attempt_at <= now, _waiting())
        .group_by(outbound_messages.c.contact_id)
        .order_by(oldest)
        .limit(limit)
    ).scalars())


def next_due(conn: Connection) -> dt.datetime | None:
    """When the next try is due (None: nothing waits)."""
    moment = conn.execute(select(func.min(outbound_messages.c.next_attempt_at)).where(_waiting())).scalar()
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment  # type: ignore[no-any-return]


def statuses(conn: Connection, contact_id: int | None = None) -> list[tuple[str, str]]:
    """(kind, status) of every outbound message, oldest first (for reports and tests)."""
    query = select(outbound_messages.c.kind, outbound_messages.c.status).order_by(outbound_messages.c.id)
    if contact_id is not None:
        query = query.where(outbound_messages.c.contact_id == contact_id)
    return [(r.kind, r.status) for r in conn.execute(query)]


__all__ = [
    "GRACE", "INTERRUPTED", "JSON", "Claimed", "ahead_of", "claim", "due", "due_contacts", "enqueue",
    "mark_final", "mark_retry", "mark_sent", "next_due", "outbound_messages", "postpone", "recipient",
    "record", "statuses", "unfinished_of",
]
