"""Vacancy search: a SearchSpec becomes full-text terms (trade synonyms in every language,
typo-corrected words) and filters; empty results propose wider searches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from sqlalchemy import Connection

from bot.nlu.matcher import allowed_edits
from bot.nlu.normalize import normalize
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.spec import SearchSpec
from db import vacancy_store
from db.vacancy_search import VacancyFilter, VacancyRepository
from db.vacancy_store import Vacancy
from db.vacancy_text import Term, TermGroup, TextQuery

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
        groups: list[TermGroup] = []
        if spec.trades:
            groups.append(self.trade_terms(spec.trades))
        word_groups = [self.word_terms(w) for w in spec.words]
        if spec.any_words and word_groups:
            groups.append(TermGroup(tuple(t for g in word_groups for t in g.terms)))
        else:
            groups += word_groups
        city_key = normalize(spec.city) if spec.city else None
        return VacancyFilter(
            today=today,
            text=TextQuery(tuple(groups)),
            states=(spec.state,) if spec.state else (),
            sinco_prefix=spec.division,
            document=spec.document,
            sent_to=contact_id if spec.alerted else None,
            city_key=city_key,
            prefer_state=None if spec.state else prefer_state,
            by_relevance=bool(spec.words) and not spec.trades,
        )

    def trade_terms(self, trade_ids: tuple[str, ...]) -> TermGroup:
        """Every name of the trades, in every language, looked for in vacancy titles."""
        names = sorted({
            name for t in trade_ids if t in self.occupations.trades
            for name in self.occupations.trades[t].words()
        })
        return TermGroup(tuple(Term(tuple(n.split()), prefix=True) for n in names if n), title_only=True)

    def word_terms(self, word: str) -> TermGroup:
        """The word, its singular, and the known words one or two typos away."""
        terms = [Term((word,), prefix=True)]
        for stem in _singulars(word):
            terms.append(Term((stem,), prefix=True))
        terms += [Term((w,)) for w in self.corrections(word)]
        return TermGroup(tuple(dict.fromkeys(terms)))

    def corrections(self, word: str) -> list[str]:
        limit = allowed_edits(word)
        if limit == 0 or vacancy_store.known_words(self.conn, [word]):
            return []
        scored = []
        for candidate in vacancy_store.words_like(self.conn, word, limit):
            distance = Levenshtein.distance(word, candidate, score_cutoff=limit)
            if distance <= limit:
                scored.append((distance, candidate))
        return [w for _, w in sorted(scored)[:MAX_CORRECTIONS]]

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
