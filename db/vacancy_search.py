"""Searching vacancies in the database: full-text index plus filters, one API on both backends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, case, func, select

from db import vacancy_text as fts
from db.vacancies import vacancies, vacancy_alerts_sent, vacancy_documents
from db.vacancy_store import Vacancy, current, vacancies_from_rows
from db.vacancy_text import TextQuery

# Counting stops here: "more than 50" is all a suggestion needs to say.
COUNT_CAP = 50


@dataclass(frozen=True)
class VacancyFilter:
    """What to look for. Empty fields do not filter."""

    today: dt.date
    text: TextQuery = field(default_factory=lambda: TextQuery(()))
    states: tuple[str, ...] = ()
    sinco_prefix: str | None = None
    document: str | None = None
    # Offers new since (alerts), offers already / never alerted to this contact.
    created_after: dt.datetime | None = None
    sent_to: int | None = None
    not_sent_to: int | None = None
    # Ordering only: offers in this municipality (normalised) or state come first.
    city_key: str | None = None
    prefer_state: str | None = None
    # Order by text relevance (free words) rather than by date (a trade, a place).
    by_relevance: bool = False


class VacancyRepository:
    """Current offers matching a filter: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"

    def search(self, spec: VacancyFilter, *, limit: int, offset: int = 0) -> list[Vacancy]:
        query = self._query(spec, select(vacancies), order=True).limit(limit).offset(offset)
        return vacancies_from_rows(self.conn, self.conn.execute(query).all())

    def count(self, spec: VacancyFilter, cap: int = COUNT_CAP) -> int:
        """How many match, up to `cap` (cheap enough to ask for several suggestions)."""
        inner = self._query(spec, select(vacancies.c.id), order=False).limit(cap).subquery()
        return int(self.conn.execute(select(func.count()).select_from(inner)).scalar_one())

    def _query(self, spec: VacancyFilter, query: Select[Any], *, order: bool) -> Select[Any]:
        query = query.where(current(spec.today))
        rank = None
        if spec.text:
            if self.postgres:
                expression = fts.tsquery_expression(spec.text)
                query = query.where(fts.pg_match(expression))
                rank = fts.pg_rank(expression).desc()
            else:
                index = fts.sqlite_fts()
                query = query.join(index, index.c.rowid == vacancies.c.id).where(
                    fts.sqlite_match(fts.fts5_expression(spec.text))
                )
                rank = fts.sqlite_rank()  # bm25: lower is better
        if spec.states:
            query = query.where(vacancies.c.state.in_(spec.states))
        if spec.sinco_prefix:
            query = query.where(vacancies.c.sinco.startswith(spec.sinco_prefix, autoescape=True))
        if spec.document:
            accepted = select(vacancy_documents.c.vacancy_id).where(vacancy_documents.c.document == spec.document)
            query = query.where(vacancies.c.id.in_(accepted))
        if spec.created_after is not None:
            query = query.where(vacancies.c.created_at > spec.created_after)
        if spec.sent_to is not None:
            query = query.where(vacancies.c.id.in_(self._sent(spec.sent_to)))
        if spec.not_sent_to is not None:
            query = query.where(vacancies.c.id.not_in(self._sent(spec.not_sent_to)))
        if not order:
            return query
        ordering: list[Any] = []
        if spec.city_key:
            ordering.append(case((vacancies.c.municipality_key == spec.city_key, 0), else_=1))
        if spec.prefer_state:
            ordering.append(case((vacancies.c.state == spec.prefer_state, 0), else_=1))
        if spec.by_relevance and rank is not None:
            ordering.append(rank)
        ordering += [vacancies.c.published_on.desc(), vacancies.c.id.desc()]
        return query.order_by(*ordering)

    @staticmethod
    def _sent(contact_id: int) -> Select[Any]:
        return select(vacancy_alerts_sent.c.vacancy_id).where(vacancy_alerts_sent.c.contact_id == contact_id)
