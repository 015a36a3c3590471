"""The vacancy flow's slots (dialogs/vacancies.yaml) and the events that start a search."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

from bot.vacancies.spec import SearchSpec

PAGE_SIZE = 3
SEARCH, OFFSET, CARDS, NEXT = "vacancy_search", "vacancy_offset", "vacancy_cards", "vacancy_next"
CURRENT = "vacancy_current"  # the id of the offer shown in full
MAX_OFFSET = 10_000


def new_search(spec: SearchSpec) -> list[dict[str, Any]]:
    """Slots for a search that starts on its first page."""
    return [SlotSet(SEARCH, spec.to_json()), SlotSet(OFFSET, 0), SlotSet(NEXT, "search")]


def page_offset(value: Any) -> int:
    """The offset slot as a page start; anything else (a stale or forged value) is the first page."""
    try:
        return max(0, min(int(value or 0), MAX_OFFSET))
    except (TypeError, ValueError):
        return 0
