"""Users' reports on vacancies (asks for money, looks like fraud, wrong data) and staff's view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.vacancies.tables import vacancies, vacancy_flags

REASONS = ("money", "fraud", "wrong")


@dataclass(frozen=True)
class FlagSummary:
    vacancy_id: int
    source: str
    external_id: str
    title: str
    employer: str
    expires_on: dt.date
    counts: dict[str, int]
    last: dt.datetime

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def add_flag(conn: Connection, vacancy_id: int, contact_id: int | None, reason: str, now: dt.datetime) -> bool:
    """False when this person already reported this vacancy (one report per person counts)."""
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}")
    try:
        with conn.begin_nested():
            conn.execute(insert(vacancy_flags).values(
                vacancy_id=vacancy_id, contact_id=contact_id, reason=reason, created_at=now))
    except IntegrityError:
        return False
    return True


def flag_summaries(
    conn: Connection, *, since: dt.datetime | None = None, pending: bool = False, vacancy_id: int | None = None,
) -> list[FlagSummary]:
    """Reported vacancies, most reported first, with counts per reason; `pending`: only reports
    staff have not marked reviewed."""
    query = (
        select(
            vacancy_flags.c.vacancy_id, vacancy_flags.c.reason, func.count().label("n"),
            func.max(vacancy_flags.c.created_at).label("last"),
        )
        .group_by(vacancy_flags.c.vacancy_id, vacancy_flags.c.reason)
    )
    if since is not None:
        query = query.where(vacancy_flags.c.created_at >= since)
    if pending:
        query = query.where(vacancy_flags.c.reviewed_at.is_(None))
    if vacancy_id is not None:
        query = query.where(vacancy_flags.c.vacancy_id == vacancy_id)
    counts: dict[int, dict[str, int]] = {}
    last: dict[int, dt.datetime] = {}
    for row in conn.execute(query):
        counts.setdefault(row.vacancy_id, {})[row.reason] = row.n
        last[row.vacancy_id] = max(last.get(row.vacancy_id, row.last), row.last)
    if not counts:
        return []
    details = conn.execute(select(vacancies).where(vacancies.c.id.in_(list(counts))))
    found = [
        FlagSummary(v.id, v.source, v.external_id, v.title, v.employer, v.expires_on, counts[v.id], last[v.id])
        for v in details
    ]
    return sorted(found, key=lambda f: (f.total, f.last.replace(tzinfo=None), f.vacancy_id), reverse=True)


def mark_reviewed(conn: Connection, vacancy_id: int, now: dt.datetime) -> int:
    """Marks the vacancy's pending reports reviewed; how many there were (0: nothing was pending).
    A report that arrives later is pending again."""
    result = conn.execute(
        update(vacancy_flags)
        .where(vacancy_flags.c.vacancy_id == vacancy_id, vacancy_flags.c.reviewed_at.is_(None))
        .values(reviewed_at=now)
    )
    return result.rowcount or 0
