"""Searching vacancies in the database: the full-text index answers words and filters together,
newest offers first, one API on both backends."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, func, literal, select, union_all

from db import vacancy_text as fts
from db.vacancies import vacancies, vacancy_alerts_sent
from db.vacancy_store import Vacancy, current, vacancies_from_rows
from db.vacancy_text import TextQuery

# Counting stops here: "more than 50" is all a suggestion needs to say.
COUNT_CAP = 50


@dataclass(frozen=True)
class VacancyFilter:
    """What to look for. Empty fields do not filter."""

    today: dt.date
    text: TextQuery = field(default_factory=TextQuery)
    # Offers new since (alerts), offers already / never alerted to this contact.
    created_after: dt.datetime | None = None
    sent_to: int | None = None
    not_sent_to: int | None = None
    # Ordering: when given, these queries in turn (each newest first) instead of `text`, e.g.
    # the city asked for, then the rest of its state. Together they match what `text` matches.
    segments: tuple[TextQuery, ...] = ()


class VacancyRepository:
    """Current offers matching a filter, most recently added first: FTS5 on SQLite, tsvector +
    GIN on PostgreSQL. Ordering by id lets both stop at the first rows that match."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"

    def search(self, spec: VacancyFilter, *, limit: int, offset: int = 0) -> list[Vacancy]:
        if len(spec.segments) < 2:
            part = dataclasses.replace(spec, text=spec.segments[0]) if spec.segments else spec
            rows = self.conn.execute(self.statement(part, limit, offset)).all()
            return vacancies_from_rows(self.conn, rows, documents=False)
        # The segments in one round trip. Each part stops at offset + limit rows, so the index
        # still does the ordering; the outer query only orders those few.
        parts = [
            select(self.statement(dataclasses.replace(spec, text=segment), limit + offset)
                   .add_columns(literal(n).label("segment")).subquery())
            for n, segment in enumerate(spec.segments)
        ]
        both = union_all(*parts).subquery()
        query = select(both).order_by(both.c.segment, both.c.id.desc()).limit(limit).offset(offset)
        return vacancies_from_rows(self.conn, self.conn.execute(query).all(), documents=False)

    def count(self, spec: VacancyFilter, cap: int | None = COUNT_CAP) -> int:
        """How many match, up to `cap` (cheap enough to ask for several suggestions)."""
        query = self._query(spec, select(vacancies.c.id))
        inner = (query.limit(cap) if cap else query).subquery()
        return int(self.conn.execute(select(func.count()).select_from(inner)).scalar_one())

    def statement(self, spec: VacancyFilter, limit: int, offset: int = 0) -> Select[Any]:
        """One segment's page, newest first."""
        # On SQLite the order must name the FTS rowid (the same id) for FTS5 to give rows in that
        # order and stop at `limit`; ordering by vacancies.id would sort every match.
        newest = fts.sqlite_fts().c.rowid if spec.text and not self.postgres else vacancies.c.id
        return self._query(spec, select(vacancies)).order_by(newest.desc()).limit(limit).offset(offset)

    def _query(self, spec: VacancyFilter, query: Select[Any]) -> Select[Any]:
        query = query.where(current(spec.today))
        if spec.text:
            if self.postgres:
                query = query.where(fts.pg_match(fts.tsquery_expression(spec.text)))
            else:
                index = fts.sqlite_fts()
                query = query.join(index, index.c.rowid == vacancies.c.id).where(
                    fts.sqlite_match(fts.fts5_expression(spec.text))
                )
        if spec.created_after is not None:
            query = query.where(vacancies.c.created_at > spec.created_after)
        if spec.sent_to is not None:
            query = query.where(vacancies.c.id.in_(self._sent(spec.sent_to)))
        if spec.not_sent_to is not None:
            query = query.where(vacancies.c.id.not_in(self._sent(spec.not_sent_to)))
        return query

    @staticmethod
    def _sent(contact_id: int) -> Select[Any]:
        return select(vacancy_alerts_sent.c.vacancy_id).where(vacancy_alerts_sent.c.contact_id == contact_id)
