"""Full-text conditions on vacancies, one meaning on both databases: SQLite FTS5 (external
content table `vacancies_fts`) and PostgreSQL tsvector (`vacancies.search_vector`, config
`puente_es`: unaccent + Spanish stemming). Both are built by migration 0004_vacancies.

A query has word groups (any word of a group, every group) over the offer's text, and facets
(bot/vacancies/facets.py: "st19", "trcooking") that must all be present, of which some may be
excluded: filters are answered by the same index, in one lookup."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, column, func, literal_column, table

_WORD = re.compile(r"^[0-9a-z]+$")
# Prefix search only from this length: "pan*" would find "pantalón" for "pan" (bread).
MIN_PREFIX = 4
TEXT_COLUMNS = "title employer municipality description requirements"


@dataclass(frozen=True)
class Term:
    """A normalised word; `prefix` also finds longer words ("cocin" finds "cocinero"). No phrases:
    the SQLite index keeps no positions (detail=column); trade names are facets."""

    word: str
    prefix: bool = False

    def __post_init__(self) -> None:
        if not _WORD.match(self.word):
            raise ValueError(f"terms are normalised words: {self.word!r}")


@dataclass(frozen=True)
class TextQuery:
    """Every group of words matches (AND), each by any of its terms (OR); of every set of facets
    one is present (OR); no `excluded` facet is present."""

    groups: tuple[tuple[Term, ...], ...] = ()
    facets: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(any(self.groups) or any(self.facets))

    def but(self, *, facet: str | None = None, exclude: str | None = None, without: str | None = None) -> TextQuery:
        """The same query with one more facet required, or excluded, or one required facet dropped."""
        facets = tuple(f for f in self.facets if f != (without,)) if without else self.facets
        return TextQuery(
            self.groups,
            facets + ((facet,),) if facet else facets,
            self.excluded + (exclude,) if exclude else self.excluded,
        )


def _checked(facet: str) -> str:
    if not _WORD.match(facet):
        raise ValueError(f"facets are normalised words: {facet!r}")
    return facet


# -- SQLite FTS5 -------------------------------------------------------------------------------

def fts5_expression(query: TextQuery) -> str:
    """{title ...} : ("noche"* OR "noches") AND facets : (trcooking) AND facets : (st23) NOT facets : mun23cancun."""
    parts = [
        f"{{{TEXT_COLUMNS}}} : (" + " OR ".join(_fts5_term(t) for t in group) + ")"
        for group in query.groups if group
    ]
    parts += ["facets : (" + " OR ".join(_checked(f) for f in any_of) + ")" for any_of in query.facets if any_of]
    expression = " AND ".join(parts)
    for facet in query.excluded:
        expression = f"({expression}) NOT facets : {_checked(facet)}"
    return expression


def _fts5_term(term: Term) -> str:
    quoted = f'"{term.word}"'
    return quoted + "*" if term.prefix and len(term.word) >= MIN_PREFIX else quoted


def sqlite_fts() -> FromClause:
    return table("vacancies_fts", column("rowid"))


def sqlite_match(expression: ColumnElement[str]) -> ColumnElement[bool]:
    """`expression` is a bound parameter holding fts5_expression()."""
    return literal_column("vacancies_fts").op("MATCH")(expression)


# -- PostgreSQL tsvector -----------------------------------------------------------------------

def tsquery_expression(query: TextQuery) -> str:
    """(noche:*ABC | noches:ABC) & (trcooking) & (st23) & !mun23cancun."""
    parts = ["(" + " | ".join(_ts_term(t) for t in group) + ")" for group in query.groups if group]
    # Facets carry no weight label: no text word looks like "st19", and a weight would make
    # PostgreSQL re-read every candidate row to check it.
    parts += ["(" + " | ".join(_checked(f) for f in any_of) + ")" for any_of in query.facets if any_of]
    parts += [f"!{_checked(f)}" for f in query.excluded]
    return " & ".join(parts)


def _ts_term(term: Term) -> str:
    star = "*" if term.prefix and len(term.word) >= MIN_PREFIX else ""
    return f"{term.word}:{star}ABC"  # A, B, C: the offer's text; D: its facets


def pg_match(expression: ColumnElement[str]) -> ColumnElement[bool]:
    """`expression` is a bound parameter holding tsquery_expression()."""
    query = func.to_tsquery(literal_column("'puente_es'::regconfig"), expression)
    return literal_column("vacancies.search_vector").op("@@")(query)
