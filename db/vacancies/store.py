"""Writing and reading vacancies: upsert by (source, external id), one offer, export, words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (Connection, Date, Integer, and_, bindparam, delete, func, insert, or_, select,
                        tuple_)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import Executable

from db import driver
from db.vacancies.tables import vacancies, vacancy_documents, vacancy_words

# Columns an import sets; id, created_at and updated_at are the store's.
FIELDS = (
    "source", "external_id", "title", "employer", "description", "state", "municipality",
    "sinco", "salary_min", "salary_max", "salary_period", "schedule", "requirements",
    "how_to_apply", "note", "published_on", "expires_on",
)
# Stored with each offer for the full-text index (bot/vacancies/facets.py); not part of the format.
STORED = (*FIELDS, "facets")
# Words of these lengths are worth correcting a typo towards (see db/vacancies/search.py).
WORD_LENGTHS = range(4, 41)
_BATCH = 500


@dataclass(frozen=True)
class Vacancy:
    id: int
    source: str
    external_id: str
    title: str
    employer: str
    description: str
    state: str
    municipality: str | None
    sinco: str | None
    salary_min: Decimal | None
    salary_max: Decimal | None
    salary_period: str | None
    schedule: str | None
    requirements: str
    how_to_apply: str
    note: str | None
    published_on: dt.date
    expires_on: dt.date
    documents: tuple[str, ...] = ()

    def as_record(self) -> dict[str, Any]:
        """The import format (docs/vacancies-format.md): what `export` writes."""
        record = {name: getattr(self, name) for name in FIELDS}
        record["documents"] = list(self.documents)
        return record


@dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0


def _insert_for(conn: Connection) -> Any:
    return pg_insert if conn.dialect.name == "postgresql" else sqlite_insert


def upsert_vacancies(
    conn: Connection, records: Sequence[Mapping[str, Any]], now: dt.datetime,
    normalize: Callable[[str], str],
) -> UpsertCounts:
    """Insert new offers and update known ones (same source and external id). `normalize`
    turns a text into the words the typo-tolerant search knows (bot.nlu.normalize)."""
    counts = UpsertCounts()
    for start in range(0, len(records), _BATCH):
        batch = _last_of_each_key(records[start:start + _BATCH])
        known = _existing_keys(conn, [(r["source"], r["external_id"]) for r in batch])
        rows = [_row(r, now) for r in batch]
        statement = _insert_for(conn)(vacancies)
        statement = statement.on_conflict_do_update(
            index_elements=["source", "external_id"],
            set_={name: statement.excluded[name] for name in (*STORED, "updated_at")},
        ).returning(vacancies.c.id, vacancies.c.source, vacancies.c.external_id)
        ids = {(r.source, r.external_id): r.id for r in conn.execute(statement, rows)}
        counts.updated += sum(1 for r in batch if (r["source"], r["external_id"]) in known)
        counts.inserted += len(batch) - sum(1 for r in batch if (r["source"], r["external_id"]) in known)
        vacancy_ids = [ids[(r["source"], r["external_id"])] for r in batch]
        conn.execute(delete(vacancy_documents).where(vacancy_documents.c.vacancy_id.in_(vacancy_ids)))
        documents = [
            {"vacancy_id": vid, "document": doc}
            for vid, record in zip(vacancy_ids, batch)
            for doc in dict.fromkeys(record.get("documents") or ())
        ]
        if documents:
            conn.execute(insert(vacancy_documents), documents)
        add_words(conn, (normalize(text) for r in batch for text in _texts(r)))
    return counts


def _last_of_each_key(batch: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """A file that lists one offer twice: the later line wins (one statement cannot do both)."""
    by_key = {(r["source"], r["external_id"]): r for r in batch}
    return list(by_key.values())


def _row(record: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    row = {name: record.get(name) for name in STORED}
    row["description"] = row["description"] or ""
    row["requirements"] = row["requirements"] or ""
    row["facets"] = row["facets"] or ""
    row["created_at"] = row["updated_at"] = now
    return row


def _existing_keys(conn: Connection, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    if not keys:
        return set()
    query = select(vacancies.c.source, vacancies.c.external_id).where(
        tuple_(vacancies.c.source, vacancies.c.external_id).in_(keys)
    )
    return {(r.source, r.external_id) for r in conn.execute(query)}


def _texts(record: Mapping[str, Any]) -> list[str]:
    return [str(record.get(k) or "") for k in ("title", "employer", "municipality", "description", "requirements")]


def add_words(conn: Connection, texts: Iterable[str]) -> None:
    """Remember the words of normalised texts for the typo-tolerant search."""
    words = sorted({
        w for t in texts for w in t.split() if len(w) in WORD_LENGTHS and w.isalpha()
    })
    for start in range(0, len(words), _BATCH):
        chunk = words[start:start + _BATCH]
        statement = _insert_for(conn)(vacancy_words).on_conflict_do_nothing(index_elements=["word"])
        conn.execute(statement, [{"word": w} for w in chunk])


def words_like(conn: Connection, words: dict[str, int]) -> set[str]:
    """Known words that could be one of `words` with typos: the same first letter and a length
    within the word's allowance ({word: spread}). One query for all the words of a search."""
    conditions = [
        and_(
            vacancy_words.c.word >= word[0],
            vacancy_words.c.word < chr(ord(word[0]) + 1),
            func.length(vacancy_words.c.word).between(len(word) - spread, len(word) + spread),
        )
        for word, spread in words.items() if word
    ]
    if not conditions:
        return set()
    return set(conn.execute(select(vacancy_words.c.word).where(or_(*conditions))).scalars())


def current(today: dt.date) -> Any:
    """Offers a user may see: published, and not expired."""
    return and_(vacancies.c.expires_on >= today, vacancies.c.published_on <= today)


@cache
def _one_offer(current_only: bool) -> Executable:
    """Built once: a card's "more" runs it every time (see db/driver.py)."""
    query = select(vacancies).where(vacancies.c.id == bindparam("id", type_=Integer))
    return query.where(current(bindparam("today", type_=Date))) if current_only else query


@cache
def _documents_of_one() -> Executable:
    return (select(vacancy_documents.c.document)
            .where(vacancy_documents.c.vacancy_id == bindparam("id", type_=Integer))
            .order_by(vacancy_documents.c.document))


def get_vacancy(conn: Connection, vacancy_id: int, today: dt.date | None = None) -> Vacancy | None:
    """One offer; None when it does not exist or (given `today`) is expired."""
    found = driver.run(conn, _one_offer(today is not None), {"id": vacancy_id, "today": today})
    if not found:
        return None
    documents = tuple(row[0] for row in driver.run(conn, _documents_of_one(), {"id": vacancy_id}))
    return _vacancy(found[0], documents)


def vacancies_from_rows(conn: Connection, rows: Sequence[Any], *, documents: bool = True) -> list[Vacancy]:
    """Offers from table rows; `documents=False` leaves out what a list of cards does not show."""
    ids = [r.id for r in rows] if documents else []
    accepted: dict[int, list[str]] = {}
    if ids:
        query = select(vacancy_documents).where(vacancy_documents.c.vacancy_id.in_(ids))
        for doc in conn.execute(query.order_by(vacancy_documents.c.document)):
            accepted.setdefault(doc.vacancy_id, []).append(doc.document)
    return [_vacancy(r, tuple(accepted.get(r.id, ()))) for r in rows]


def _vacancy(r: Any, documents: tuple[str, ...]) -> Vacancy:
    """An offer from a row of the vacancies table (SQLAlchemy's or the driver's)."""
    return Vacancy(
        id=r.id, source=r.source, external_id=r.external_id, title=r.title, employer=r.employer,
        description=r.description, state=r.state, municipality=r.municipality, sinco=r.sinco,
        salary_min=r.salary_min, salary_max=r.salary_max, salary_period=r.salary_period,
        schedule=r.schedule, requirements=r.requirements, how_to_apply=r.how_to_apply,
        note=r.note, published_on=r.published_on, expires_on=r.expires_on, documents=documents,
    )


def iter_vacancies(
    conn: Connection, *, source: str | None = None, today: dt.date | None = None
) -> Iterator[Vacancy]:
    """Every offer in id order, in batches (export); only current ones when `today` is given."""
    last = 0
    while True:
        query = select(vacancies).where(vacancies.c.id > last).order_by(vacancies.c.id).limit(_BATCH)
        if source is not None:
            query = query.where(vacancies.c.source == source)
        if today is not None:
            query = query.where(current(today))
        rows = conn.execute(query).all()
        if not rows:
            return
        yield from vacancies_from_rows(conn, rows)
        last = rows[-1].id


def count_vacancies(conn: Connection, *, source: str | None = None) -> int:
    query = select(func.count()).select_from(vacancies)
    if source is not None:
        query = query.where(vacancies.c.source == source)
    return int(conn.execute(query).scalar_one())
