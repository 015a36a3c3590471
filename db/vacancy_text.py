"""Full-text conditions on vacancies, one meaning on both databases: SQLite FTS5 (external
content table `vacancies_fts`) and PostgreSQL tsvector (`vacancies.search_vector`, config
`puente_es`: unaccent + Spanish stemming). Both built by migration 0004_vacancies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, func, literal_column, table, column, text

_WORD = re.compile(r"^[0-9a-z]+$")
# Prefix search only from this length: "pan*" would find "pantalón" for "pan" (bread).
MIN_PREFIX = 4
# Relevance per column on SQLite (bm25): the title counts most.
BM25_WEIGHTS = "10.0, 3.0, 2.0, 1.0, 1.0"


@dataclass(frozen=True)
class Term:
    """A normalised word or phrase ("ayudante de cocina"); `prefix` also finds longer words."""

    words: tuple[str, ...]
    prefix: bool = False

    def __post_init__(self) -> None:
        if not self.words or not all(_WORD.match(w) for w in self.words):
            raise ValueError(f"terms are normalised words: {self.words!r}")


@dataclass(frozen=True)
class TermGroup:
    """Any of its terms matches (OR); `title_only` looks only at the vacancy's title."""

    terms: tuple[Term, ...]
    title_only: bool = False


@dataclass(frozen=True)
class TextQuery:
    """Every group must match (AND)."""

    groups: tuple[TermGroup, ...]

    def __bool__(self) -> bool:
        return any(g.terms for g in self.groups)


# -- SQLite FTS5 -------------------------------------------------------------------------------

def fts5_expression(query: TextQuery) -> str:
    """The MATCH string: {title} : ("albanil"* OR "peon de albanil") AND ("noche"*)."""
    parts = []
    for group in query.groups:
        if not group.terms:
            continue
        alternatives = " OR ".join(_fts5_term(t) for t in group.terms)
        parts.append(f"{{title}} : ({alternatives})" if group.title_only else f"({alternatives})")
    return " AND ".join(parts)


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + "*" if term.prefix and len(term.words[-1]) >= MIN_PREFIX else quoted


def sqlite_fts() -> FromClause:
    return table("vacancies_fts", column("rowid"), column("rank"))


def sqlite_match(expression: str) -> ColumnElement[bool]:
    return text("vacancies_fts MATCH :fts").bindparams(fts=expression)


def sqlite_rank() -> ColumnElement[float]:
    return literal_column(f"bm25(vacancies_fts, {BM25_WEIGHTS})")


# -- PostgreSQL tsvector -----------------------------------------------------------------------

def tsquery_expression(query: TextQuery) -> str:
    """The to_tsquery text: (albanil:*A | peon:A <-> de:A <-> albanil:A) & (noche:*)."""
    parts = []
    for group in query.groups:
        if not group.terms:
            continue
        weight = "A" if group.title_only else ""
        parts.append("(" + " | ".join(_ts_term(t, weight) for t in group.terms) + ")")
    return " & ".join(parts)


def _ts_term(term: Term, weight: str) -> str:
    last = len(term.words) - 1
    pieces = []
    for i, word in enumerate(term.words):
        star = "*" if term.prefix and i == last and len(word) >= MIN_PREFIX else ""
        label = star + weight
        pieces.append(f"{word}:{label}" if label else word)
    return pieces[0] if len(pieces) == 1 else "(" + " <-> ".join(pieces) + ")"


def pg_tsquery(expression: str) -> ColumnElement[object]:
    return func.to_tsquery(literal_column("'puente_es'::regconfig"), expression)


def pg_match(expression: str) -> ColumnElement[bool]:
    return literal_column("vacancies.search_vector").op("@@")(pg_tsquery(expression))


def pg_rank(expression: str) -> ColumnElement[float]:
    return func.ts_rank(literal_column("'{0.1, 0.2, 0.4, 1.0}'::float4[]"),
                        literal_column("vacancies.search_vector"), pg_tsquery(expression))
