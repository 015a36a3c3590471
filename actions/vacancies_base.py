"""What every vacancy action shares: services, the user's language and search, the slots."""

from __future__ import annotations

import datetime as dt
from abc import ABCMeta, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.cards import Line
from bot.vacancies.dates import mexico_today
from bot.vacancies.spec import SearchSpec, describe

if TYPE_CHECKING:
    from bot.app import Services

PAGE_SIZE = 3
# Slots of this flow (dialogs/vacancies.yaml).
SEARCH, OFFSET, CARDS, NEXT = "vacancy_search", "vacancy_offset", "vacancy_cards", "vacancy_next"


class VacancyAction(Action, metaclass=ABCMeta):
    """Abstract: neither Puente nor the rasa-sdk server registers it (only its subclasses)."""

    def __init__(self, services: Services | None = None) -> None:
        self._services = services
        self.occupations = Occupations.load()
        self.places = Places.load()

    @abstractmethod
    def name(self) -> str: ...

    @property
    def services(self) -> Services:
        if self._services is None:  # served by `python -m rasa_sdk`: build from the environment
            from bot.app import Services

            self._services = Services.from_environ()
        return self._services

    # -- reading the tracker ----------------------------------------------------------------

    @staticmethod
    def language(tracker: Tracker) -> str:
        metadata = tracker.latest_message.get("metadata") or {}
        return str(metadata.get("language") or tracker.get_slot("language") or "es")

    @staticmethod
    def contact_id(tracker: Tracker) -> int | None:
        sender = str(tracker.sender_id or "")
        return int(sender) if sender.isdigit() else None

    def spec(self, tracker: Tracker) -> SearchSpec:
        return SearchSpec.from_json(tracker.get_slot(SEARCH), self.occupations)

    def describe(self, spec: SearchSpec, lang: str) -> str:
        return describe(spec, lang, self.occupations, self.places)

    @staticmethod
    def today() -> dt.date:
        return mexico_today()

    @staticmethod
    def now() -> dt.datetime:
        return dt.datetime.now(dt.UTC)


def utter_lines(dispatcher: CollectingDispatcher, lines: Iterable[Line]) -> None:
    """Data lines as they are, the bot's words by response name (translated by the engine)."""
    for line in lines:
        if line.response is not None:
            dispatcher.utter_message(response=line.response, **dict(line.values))
        elif line.text:
            dispatcher.utter_message(text=line.text)


def new_search(spec: SearchSpec) -> list[dict[str, Any]]:
    """Slots for a search that starts on its first page."""
    return [SlotSet(SEARCH, spec.to_json()), SlotSet(OFFSET, 0), SlotSet(NEXT, "search")]
