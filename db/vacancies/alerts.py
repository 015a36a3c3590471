"""Alert subscriptions (saved searches) and the record of what was sent, at most once per
vacancy and user: a vacancy is "claimed" before sending and "sent" once delivered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.tables import contacts
from db.vacancies.tables import vacancy_alerts, vacancy_alerts_sent

MAX_ALERTS = 5
CLAIMED, SENT = "claimed", "sent"


@dataclass(frozen=True)
class Subscription:
    id: int
    contact_id: int
    query: dict[str, Any]
    created_at: dt.datetime
    language: str | None = None


def add_alert(conn: Connection, contact_id: int, query: dict[str, Any], key: str, now: dt.datetime) -> str:
    """"added", "exists" (the same search is already saved) or "limit" (MAX_ALERTS reached)."""
    existing = conn.execute(
        select(vacancy_alerts.c.query_key).where(vacancy_alerts.c.contact_id == contact_id)
    ).scalars().all()
    if key in existing:
        return "exists"
    if len(existing) >= MAX_ALERTS:
        return "limit"
    conn.execute(insert(vacancy_alerts).values(
        contact_id=contact_id, query=query, query_key=key[:400], created_at=now))
    return "added"


def alerts_of(conn: Connection, contact_id: int) -> list[Subscription]:
    rows = conn.execute(
        select(vacancy_alerts).where(vacancy_alerts.c.contact_id == contact_id).order_by(vacancy_alerts.c.id)
    )
    return [Subscription(r.id, r.contact_id, r.query, r.created_at) for r in rows]


def remove_alerts(conn: Connection, contact_id: int, alert_id: int | None = None) -> int:
    """Remove one of the contact's alerts, or all of them; how many were removed."""
    statement = delete(vacancy_alerts).where(vacancy_alerts.c.contact_id == contact_id)
    if alert_id is not None:
        statement = statement.where(vacancy_alerts.c.id == alert_id)
    return int(conn.execute(statement).rowcount or 0)


def due_subscriptions(conn: Connection) -> list[Subscription]:
    """Every subscription of a contact who may be written to (not opted out), by contact."""
    query = (
        select(vacancy_alerts, contacts.c.language)
        .join(contacts, contacts.c.id == vacancy_alerts.c.contact_id)
        .where(contacts.c.opted_out.is_(False))
        .order_by(vacancy_alerts.c.contact_id, vacancy_alerts.c.id)
    )
    return [Subscription(r.id, r.contact_id, r.query, r.created_at, r.language) for r in conn.execute(query)]


def claim(conn: Connection, contact_id: int, vacancy_ids: Sequence[int], now: dt.datetime) -> list[int]:
    """Reserve vacancies for one message; those another run already claimed or sent are left out."""
    if not vacancy_ids:
        return []
    insert_for = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    claimed = []
    for vacancy_id in vacancy_ids:
        statement = insert_for(vacancy_alerts_sent).values(
            contact_id=contact_id, vacancy_id=vacancy_id, status=CLAIMED, at=now
        ).on_conflict_do_nothing(index_elements=["contact_id", "vacancy_id"]).returning(vacancy_alerts_sent.c.vacancy_id)
        if conn.execute(statement).first() is not None:
            claimed.append(vacancy_id)
    return claimed


def confirm(conn: Connection, contact_id: int, vacancy_ids: Sequence[int], alert_ids: Sequence[int],
            now: dt.datetime) -> None:
    conn.execute(
        update(vacancy_alerts_sent)
        .where(vacancy_alerts_sent.c.contact_id == contact_id, vacancy_alerts_sent.c.vacancy_id.in_(vacancy_ids))
        .values(status=SENT, at=now)
    )
    if alert_ids:
        conn.execute(update(vacancy_alerts).where(vacancy_alerts.c.id.in_(alert_ids)).values(last_sent_at=now))


def release(conn: Connection, contact_id: int, vacancy_ids: Sequence[int]) -> None:
    """Not delivered: the vacancies may be sent in a later run."""
    conn.execute(
        delete(vacancy_alerts_sent).where(
            vacancy_alerts_sent.c.contact_id == contact_id,
            vacancy_alerts_sent.c.vacancy_id.in_(vacancy_ids),
            vacancy_alerts_sent.c.status == CLAIMED,
        )
    )


def sent_count(conn: Connection, contact_id: int | None = None) -> int:
    query = select(func.count()).select_from(vacancy_alerts_sent).where(vacancy_alerts_sent.c.status == SENT)
    if contact_id is not None:
        query = query.where(vacancy_alerts_sent.c.contact_id == contact_id)
    return int(conn.execute(query).scalar_one())
