"""Vacancy search: a SearchSpec becomes a full-text query (typo-corrected words, and facets for
the trade, place, SINCO group and document); empty results propose wider searches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Connection

from bot.nlu.matcher import allowed_edits
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.facets import city_facet, document_facet, sinco_facet, state_facet, trade_facet
from bot.vacancies.spec import SearchSpec
from db.vacancies import store as vacancy_store
from db.vacancies.full_text import Term, TextQuery
from db.vacancies.search import VacancyFilter, VacancyRepository
from db.vacancies.store import Vacancy

MAX_CORRECTIONS = 3
MAX_NEAR = 3


@dataclass(frozen=True)
class SearchPage:
    vacancies: list[Vacancy]
    has_more: bool
    # The search actually run: words dropped or made optional when all of them found nothing.
    spec: SearchSpec
    relaxed: bool = False


@dataclass(frozen=True)
class Suggestion:
    """A wider search that has results: a nearby state, the trade's group, or all of Mexico."""

    id: str
    kind: str  # near, group, country
    spec: SearchSpec
    count: int


class VacancySearch:
    def __init__(
        self,
        conn: Connection,
        occupations: Occupations | None = None,
        places: Places | None = None,
    ) -> None:
        self.conn = conn
        self.repository = VacancyRepository(conn)
        self.occupations = occupations or Occupations.load()
        self.places = places or Places.load()
        self._corrections: dict[str, list[str]] = {}

    # -- running a search -------------------------------------------------------------------

    def page(
        self,
        spec: SearchSpec,
        today: dt.date,
        *,
        offset: int = 0,
        limit: int = 3,
        contact_id: int | None = None,
        prefer_state: str | None = None,
    ) -> SearchPage:
        """One page of results. On the first page, words that find nothing are relaxed."""
        found = self._fetch(spec, today, offset, limit, contact_id, prefer_state)
        if found or offset or not spec.words:
            return SearchPage(found[:limit], len(found) > limit, spec)
        for relaxed in self._relaxations(spec):
            found = self._fetch(relaxed, today, 0, limit, contact_id, prefer_state)
            if found:
                return SearchPage(found[:limit], len(found) > limit, relaxed, relaxed=True)
        return SearchPage([], False, spec)

    def count(self, spec: SearchSpec, today: dt.date, contact_id: int | None = None) -> int:
        return self.repository.count(self.filter(spec, today, contact_id))

    def _fetch(
        self, spec: SearchSpec, today: dt.date, offset: int, limit: int,
        contact_id: int | None, prefer_state: str | None,
    ) -> list[Vacancy]:
        query = self.filter(spec, today, contact_id, prefer_state)
        return self.repository.search(query, limit=limit + 1, offset=offset)

    @staticmethod
    def _relaxations(spec: SearchSpec) -> list[SearchSpec]:
        if spec.trades or spec.state or spec.division:
            return [spec.but(words=())]
        if len(spec.words) > 1 and not spec.any_words:
            return [spec.but(any_words=True)]
        return []

    def filter(
        self, spec: SearchSpec, today: dt.date, contact_id: int | None = None,
        prefer_state: str | None = None,
    ) -> VacancyFilter:
        """The database filter: words as text terms, everything else as facets."""
        self.prepare(spec.words)
        groups = [self.word_terms(w) for w in spec.words]
        if spec.any_words and groups:
            groups = [tuple(t for g in groups for t in g)]
        facets: list[tuple[str, ...]] = []
        if spec.trades:
            facets.append(tuple(trade_facet(t) for t in spec.trades))
        if spec.state:
            facets.append((state_facet(spec.state),))
        if spec.division:
            facets.append((sinco_facet(spec.division),))
        if spec.document:
            facets.append((document_facet(spec.document),))
        text = TextQuery(tuple(groups), tuple(facets))
        return VacancyFilter(
            today=today,
            text=text,
            sent_to=contact_id if spec.alerted else None,
            segments=self._segments(spec, text, prefer_state),
        )

    @staticmethod
    def _segments(spec: SearchSpec, text: TextQuery, prefer_state: str | None) -> tuple[TextQuery, ...]:
        """The city asked for first, then the rest of its state; or the user's own state first.
        The city segment does without the state facet it implies (PostgreSQL then estimates it
        right, and picks the right plan)."""
        if spec.city and spec.state:
            city = city_facet(spec.state, spec.city)
            return (text.but(facet=city, without=state_facet(spec.state)), text.but(exclude=city))
        if prefer_state and not spec.state:
            own = state_facet(prefer_state)
            return (text.but(facet=own), text.but(exclude=own))
        return ()

    def word_terms(self, word: str) -> tuple[Term, ...]:
        """The word, its singular, and the known words one or two typos away."""
        terms = [Term(word, prefix=True)]
        for stem in _singulars(word):
            terms.append(Term(stem, prefix=True))
        terms += [Term(w) for w in self.corrections(word)]
        return tuple(dict.fromkeys(terms))

    def corrections(self, word: str) -> list[str]:
        """Known words within the typos allowed for `word`, closest first; none if it is known."""
        if word not in self._corrections:
            self.prepare((word,))
        return self._corrections[word]

    def prepare(self, words: tuple[str, ...]) -> None:
        """Look the words up once, in one query (a search may build several filters)."""
        spreads = {w: allowed_edits(w) for w in words if w not in self._corrections}
        candidates = vacancy_store.words_like(self.conn, {w: n for w, n in spreads.items() if n})
        for word, limit in spreads.items():
            scored = []
            if limit and word not in candidates:
                for candidate in candidates:
                    distance = Levenshtein.distance(word, candidate, score_cutoff=limit)
                    if distance <= limit:
                        scored.append((distance, candidate))
            self._corrections[word] = [w for _, w in sorted(scored)[:MAX_CORRECTIONS]]

    # -- when nothing is found ----------------------------------------------------------------

    def suggestions(self, spec: SearchSpec, today: dt.date, contact_id: int | None = None) -> list[Suggestion]:
        """Wider searches with results: nearby states, the whole trade group, all of Mexico."""
        found: list[Suggestion] = []
        if spec.state:
            near = []
            for code in self.places.state(spec.state).neighbors:
                wider = spec.but(state=code, city=None)
                count = self.count(wider, today, contact_id)
                if count:
                    near.append(Suggestion(f"near_{code}", "near", wider, count))
            found += sorted(near, key=lambda s: -s.count)[:MAX_NEAR]
        if spec.trades:
            division = self.occupations.trades[spec.trades[0]].division
            wider = spec.but(trades=(), words=(), division=division)
            count = self.count(wider, today, contact_id)
            if count:
                found.append(Suggestion("group", "group", wider, count))
        if spec.state and not spec.is_empty and (spec.trades or spec.words or spec.division):
            wider = spec.but(state=None, city=None)
            count = self.count(wider, today, contact_id)
            if count:
                found.append(Suggestion("country", "country", wider, count))
        return found


def _singulars(word: str) -> list[str]:
    """Spanish plurals: "albañiles" -> "albañil", "meseros" -> "mesero" (SQLite has no stemmer)."""
    found = []
    if len(word) > 5 and word.endswith("es"):
        found.append(word[:-2])
    if len(word) > 4 and word.endswith("s"):
        found.append(word[:-1])
    return found
