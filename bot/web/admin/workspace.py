"""What the translation workspace lists for one language: filters (missing, outdated, to review,
all), a search through the texts in every language and their names, and pages of rows.

The counts of each filter are the lengths of the very lists the page shows, so a number on a
tab is always the number of texts behind it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.content.overview import FUZZY, MISSING, REVIEW, Overview, TextRow
from bot.web.admin.text_names import TextNames
from bot.web.admin.translations import N_

PER_PAGE = 25
FILTERS = {
    "missing": N_("Missing"),
    "outdated": N_("Outdated"),
    "review": N_("To review"),
    "all": N_("All"),
}
STATES = {"missing": (MISSING,), "outdated": (FUZZY,), "review": (REVIEW,), "all": None}


def folded(text: str) -> str:
    """Lowercase without accents: "Educación" is found by "educacion"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Listing:
    lang: str
    show: str
    query: str
    page: int
    pages: int
    rows: list[TextRow]
    matching: int
    counts: dict[str, int]


def in_filter(row: TextRow, lang: str, show: str) -> bool:
    states = STATES[show]
    return states is None or row.cells[lang].state in states


def listing(view: Overview, names: TextNames, lang: str, show: str, query: str, page: int) -> Listing:
    show = show if show in FILTERS else "all"
    rows = list(view.rows.values())
    counts = {key: sum(in_filter(row, lang, key) for row in rows) for key in FILTERS}
    chosen = [row for row in rows if in_filter(row, lang, show)]
    needle = folded(" ".join(query.split()))
    if needle:
        chosen = [row for row in chosen if needle in folded(_haystack(row, names))]
    pages = max(1, -(-len(chosen) // PER_PAGE))
    page = min(max(page, 1), pages)
    return Listing(lang, show, query, page, pages, chosen[(page - 1) * PER_PAGE: page * PER_PAGE], len(chosen),
                   counts)


def _haystack(row: TextRow, names: TextNames) -> str:
    """Where a search looks: the text in every language, and its name as the page shows it."""
    return "\n".join([*(cell.text for cell in row.cells.values()), names.full(row.ctx), row.ctx])
