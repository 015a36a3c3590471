"""Outbound rows whose sender died mid-send (a crash, kill -9, a machine lost): found by who
claimed them (db/claimants.py) or by their lease, made "interrupted" and due to be looked for at
the platform, or set aside; what waited only for them is made due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from sqlalchemy import Connection, and_, case, exists, or_, select, update

from db import claimants
from db.outbound import FAILED, INTERRUPTED, PENDING, SENDING, outbound_messages

# A row claimed longer ago than this lost its sender mid-send (a crash, kill -9, on another
# machine; on this one a claim of a process that ended is taken at once; the outbox
# gives a kind of message a shorter lease when it bounds how long its sends take). It may have
# reached the platform: it is "interrupted", due at once, and the outbox asks the platform
# whether it has the message before sending it again (or, where the platform cannot tell,
# ends it failed, never sent twice).
LEASE = dt.timedelta(minutes=10)
# What a row whose send was cut off becomes (interrupt_stale, set_aside).
_INTERRUPTED = {"status": FAILED, "error": INTERRUPTED, "last_error": INTERRUPTED}


def interrupt_stale(conn: Connection, now: dt.datetime, leases: Mapping[str, dt.timedelta] | None = None,
                    looked_for: Collection[str] = ()) -> list[tuple[str, str]]:
    """Rows whose sender died mid-send: claimed by a process gone from this machine
    (db/claimants.py), or longer ago than their kind's lease (`leases`, else LEASE). They become
    "interrupted": on the channels `looked_for` (whose platform lists what it took) due at once,
    the outbox looks for them there before any other try; elsewhere they end failed, never sent
    twice. Rows a gone process wrote and was about to send are due at once too, not after GRACE.
    Returns (channel, kind) of each interrupted row, for counting."""
    leases = leases or {}
    expired = outbound_messages.c.updated_at < now - LEASE
    for kind, lease in leases.items():
        expired = or_(expired, and_(outbound_messages.c.kind == kind,
                                    outbound_messages.c.updated_at < now - lease))
    status = outbound_messages.c.status
    holders = conn.execute(select(outbound_messages.c.claimed_by).distinct()
                           .where(status.in_([SENDING, PENDING]), outbound_messages.c.claimed_by.is_not(None)))
    dead = [holder for (holder,) in holders if claimants.gone(holder)]
    if dead:
        expired = or_(expired, outbound_messages.c.claimed_by.in_(dead))
        _hurry(conn, now, dead)
    rows = conn.execute(
        update(outbound_messages)
        .where(outbound_messages.c.status == SENDING, expired)
        .values(**_INTERRUPTED, updated_at=now,
                next_attempt_at=case((outbound_messages.c.channel.in_(list(looked_for)), now), else_=None))
        .returning(outbound_messages.c.channel, outbound_messages.c.kind)
    ).all()
    return [(r.channel, r.kind) for r in rows]


def _hurry(conn: Connection, now: dt.datetime, dead: list[str]) -> None:
    """Rows that waited only for a process gone from this machine are due now: those it wrote
    and was about to send (GRACE), and the rows of its people queued behind a row it held (the
    next turns' replies). A row behind one with a later try planned (a refusal, a 429) keeps
    its time, so that no row goes before an earlier one."""
    rows = outbound_messages
    held = select(rows.c.contact_id).where(rows.c.status == SENDING, rows.c.claimed_by.in_(dead))
    earlier = rows.alias("earlier")
    behind_a_retry = exists().where(earlier.c.contact_id == rows.c.contact_id, earlier.c.id < rows.c.id,
                                    earlier.c.status == FAILED, earlier.c.next_attempt_at > now)
    conn.execute(update(rows)
                 .where(rows.c.status == PENDING, rows.c.next_attempt_at > now,
                        or_(rows.c.claimed_by.in_(dead), rows.c.contact_id.in_(held)), ~behind_a_retry)
                 .values(next_attempt_at=now))


def set_aside(conn: Connection, row_id: int, at: dt.datetime | None, now: dt.datetime) -> None:
    """A claimed row whose send may or may not have reached the platform (cut off, or the
    platform could not be asked whether it has it): interrupted, looked for again at `at`
    (None: never; it ends failed, not sent twice)."""
    conn.execute(
        update(outbound_messages)
        .where(outbound_messages.c.id == row_id)
        .values(**_INTERRUPTED, next_attempt_at=at, updated_at=now)
    )


def known_external_ids(conn: Connection, contact_id: int, channel: str) -> set[str]:
    """The platform ids of the contact's messages already recorded (not the one looked for)."""
    return set(conn.execute(
        select(outbound_messages.c.external_id).where(
            outbound_messages.c.contact_id == contact_id, outbound_messages.c.channel == channel,
            outbound_messages.c.external_id.is_not(None))
    ).scalars())
