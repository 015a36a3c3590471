"""Searching vacancies in the database: the full-text index answers words and filters together,
newest offers first, one API on both backends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    select,
    union_all,
)

from db import driver
from db.vacancies import full_text as fts
from db.vacancies.full_text import TextQuery
from db.vacancies.store import Vacancy, vacancies_from_rows
from db.vacancies.tables import vacancies, vacancy_alerts_sent

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

    def parts(self) -> tuple[TextQuery, ...]:
        return self.segments or (self.text,)


@dataclass(frozen=True)
class _Shape:
    """What a statement looks like, apart from its values: statements are built once per shape
    (building a SQLAlchemy statement costs more than SQLite takes to run it)."""

    postgres: bool
    texts: tuple[bool, ...]  # per segment: has a full-text condition
    created_after: bool
    sent_to: bool
    not_sent_to: bool


class VacancyRepository:
    """Current offers matching a filter, most recently added first: FTS5 on SQLite, tsvector +
    GIN on PostgreSQL. Ordering by id lets both stop at the first rows that match."""

    _statements: ClassVar[dict[_Shape, Select[Any]]] = {}

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"

    def search(self, spec: VacancyFilter, *, limit: int, offset: int = 0) -> list[Vacancy]:
        """One page of offers, in order, in one statement run straight on the driver (db/driver.py:
        it is built once per shape; SQLAlchemy's execution of it, a new statement for every
        page, cost more than the search itself)."""
        template, values = self._prepared(spec, limit, offset)
        rows = driver.run(self.conn, template, values)
        return vacancies_from_rows(self.conn, rows, documents=False)

    def statement(self, spec: VacancyFilter, limit: int, offset: int = 0) -> Select[Any]:
        """What `search` runs, its values bound (to read its plan)."""
        template, values = self._prepared(spec, limit, offset)
        return template.params(values)

    def _prepared(self, spec: VacancyFilter, limit: int, offset: int) -> tuple[Select[Any], dict[str, Any]]:
        parts = spec.parts()
        values = {**self._values(spec, parts), "limit": limit, "offset": offset, "part_limit": limit + offset}
        return self._statement(self._shape(spec, parts)), values

    def count(self, spec: VacancyFilter, cap: int | None = COUNT_CAP) -> int:
        """How many match, up to `cap` (cheap enough to ask for several suggestions)."""
        query = self._where(select(vacancies.c.id), self._shape(spec), 0)
        query = query.params(self._values(spec, (spec.text,)))
        inner = (query.limit(cap) if cap else query).subquery()
        return int(self.conn.execute(select(func.count()).select_from(inner)).scalar_one())

    def _statement(self, shape: _Shape) -> Select[Any]:
        found = self._statements.get(shape)
        if found is None:
            found = self._statements.setdefault(shape, self._build(shape))
        return found

    # -- building ---------------------------------------------------------------------------

    def _shape(self, spec: VacancyFilter, parts: tuple[TextQuery, ...] = ()) -> _Shape:
        return _Shape(self.postgres, tuple(bool(p) for p in parts or (spec.text,)),
                      spec.created_after is not None, spec.sent_to is not None, spec.not_sent_to is not None)

    def _values(self, spec: VacancyFilter, parts: tuple[TextQuery, ...]) -> dict[str, Any]:
        render = fts.tsquery_expression if self.postgres else fts.fts5_expression
        values: dict[str, Any] = {f"text_{n}": render(part) for n, part in enumerate(parts) if part}
        values["today"] = spec.today
        if spec.created_after is not None:
            values["created_after"] = spec.created_after
        if spec.sent_to is not None:
            values["sent_to"] = spec.sent_to
        if spec.not_sent_to is not None:
            values["not_sent_to"] = spec.not_sent_to
        return values

    def _build(self, shape: _Shape) -> Select[Any]:
        """The offers of one page, whole rows, in order: the segments one after the other, each
        newest first."""
        limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
        if len(shape.texts) == 1:
            return self._part(select(vacancies), shape, 0).limit(limit).offset(offset)
        # Segments in one round trip: each part stops at offset + limit ids, so the index still
        # does the ordering; the outer query orders only those few and reads their rows.
        parts = [
            select(self._part(select(vacancies.c.id), shape, n).limit(bindparam("part_limit", type_=Integer))
                   .add_columns(literal_column(str(n)).label("segment")).subquery())
            for n in range(len(shape.texts))
        ]
        both = union_all(*parts).subquery()
        return (select(vacancies).join(both, both.c.id == vacancies.c.id)
                .order_by(both.c.segment, both.c.id.desc()).limit(limit).offset(offset))

    def _part(self, query: Select[Any], shape: _Shape, n: int) -> Select[Any]:
        # On SQLite the order must name the FTS rowid (the same id) for FTS5 to give rows in that
        # order and stop at the limit; ordering by vacancies.id would sort every match.
        newest = fts.sqlite_fts().c.rowid if shape.texts[n] and not shape.postgres else vacancies.c.id
        return self._where(query, shape, n).order_by(newest.desc())

    def _where(self, query: Select[Any], shape: _Shape, n: int) -> Select[Any]:
        today = bindparam("today", type_=Date)
        query = query.where(vacancies.c.expires_on >= today, vacancies.c.published_on <= today)
        if shape.texts[n]:
            expression = bindparam(f"text_{n}", type_=String)
            if shape.postgres:
                query = query.where(fts.pg_match(expression))
            else:
                index = fts.sqlite_fts()
                query = query.join(index, index.c.rowid == vacancies.c.id).where(fts.sqlite_match(expression))
        if shape.created_after:
            query = query.where(vacancies.c.created_at > bindparam("created_after", type_=DateTime(timezone=True)))
        if shape.sent_to:
            query = query.where(vacancies.c.id.in_(self._sent(bindparam("sent_to", type_=Integer))))
        if shape.not_sent_to:
            query = query.where(vacancies.c.id.not_in(self._sent(bindparam("not_sent_to", type_=Integer))))
        return query

    @staticmethod
    def _sent(contact: Any) -> Select[Any]:
        return select(vacancy_alerts_sent.c.vacancy_id).where(vacancy_alerts_sent.c.contact_id == contact)
