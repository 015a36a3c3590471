"""Vacancies as staff see them in the web admin: a filtered list, a version for safe edits, closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from db.vacancies.store import Vacancy, current, vacancies_from_rows
from db.vacancies.tables import vacancies, vacancy_flags

STATUSES = ("open", "closed", "upcoming", "all")


@dataclass(frozen=True)
class VacancyFilter:
    """Words in title, employer, municipality or id; a state (INEGI code); a source; a status."""

    text: str = ""
    state: str = ""
    source: str = ""
    status: str = "open"


@dataclass(frozen=True)
class Listed:
    vacancy: Vacancy
    pending_reports: int


def _where(where: VacancyFilter, today: dt.date) -> list[Any]:
    conditions: list[Any] = []
    for word in where.text.lower().split()[:8]:
        conditions.append(or_(*(
            func.lower(column).contains(word, autoescape=True)
            for column in (vacancies.c.title, vacancies.c.employer, vacancies.c.municipality, vacancies.c.external_id)
        )))
    if where.state:
        conditions.append(vacancies.c.state == where.state)
    if where.source:
        conditions.append(vacancies.c.source == where.source)
    if where.status == "open":
        conditions.append(current(today))
    elif where.status == "closed":
        conditions.append(vacancies.c.expires_on < today)
    elif where.status == "upcoming":
        conditions.append(and_(vacancies.c.published_on > today, vacancies.c.expires_on >= today))
    return conditions


def listing(conn: Connection, where: VacancyFilter, today: dt.date, *, limit: int, offset: int) -> tuple[list[Listed], int]:
    """One page, newest first, with the count of users' reports not yet reviewed; and the total."""
    conditions = _where(where, today)
    total = conn.execute(select(func.count()).select_from(vacancies).where(*conditions)).scalar_one()
    rows = conn.execute(
        select(vacancies).where(*conditions).order_by(vacancies.c.id.desc()).limit(limit).offset(offset)
    ).all()
    found = vacancies_from_rows(conn, rows, documents=False)
    pending: dict[int, int] = {}
    if found:
        counts = conn.execute(
            select(vacancy_flags.c.vacancy_id, func.count())
            .where(vacancy_flags.c.vacancy_id.in_([v.id for v in found]), vacancy_flags.c.reviewed_at.is_(None))
            .group_by(vacancy_flags.c.vacancy_id)
        )
        pending = {vacancy_id: count for vacancy_id, count in counts}
    return [Listed(v, pending.get(v.id, 0)) for v in found], int(total)


def sources(conn: Connection) -> list[str]:
    return list(conn.execute(select(vacancies.c.source).distinct().order_by(vacancies.c.source)).scalars())


def version(conn: Connection, vacancy_id: int) -> str | None:
    """When the offer last changed, as text: an edit form carries it, and a save that finds
    another version was overtaken by someone else's change. None: no such offer."""
    moment = conn.execute(select(vacancies.c.updated_at).where(vacancies.c.id == vacancy_id)).scalar()
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()


def close(conn: Connection, vacancy_id: int, today: dt.date, now: dt.datetime) -> bool:
    """Withdraw an offer: it expired yesterday (as an import with expires_on in the past does),
    so search and alerts stop showing it. False when it was already closed."""
    yesterday = today - dt.timedelta(days=1)
    row = conn.execute(select(vacancies.c.published_on, vacancies.c.expires_on).where(vacancies.c.id == vacancy_id)).first()
    if row is None or row.expires_on < today:
        return False
    # An offer published today (or later) closes on the day before: expiry never precedes publication.
    conn.execute(
        update(vacancies).where(vacancies.c.id == vacancy_id)
        .values(expires_on=yesterday, published_on=min(row.published_on, yesterday), updated_at=now)
    )
    return True
