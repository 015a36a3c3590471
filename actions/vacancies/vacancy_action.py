"""VacancyAction: what every vacancy action shares (services, trades and places, the search)."""

from __future__ import annotations

import datetime as dt
from abc import ABCMeta, abstractmethod
from collections.abc import Iterable

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import NeedsServices
from actions.vacancies.slots import SEARCH
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.services import Services
from bot.vacancies.cards import Line
from bot.days import mexico_today
from bot.vacancies.spec import SearchSpec, describe


class VacancyAction(NeedsServices, Action, metaclass=ABCMeta):
    """Abstract: neither Puente nor the rasa-sdk server registers it (only its subclasses)."""

    def __init__(self, services: Services | None = None) -> None:
        super().__init__(services)
        self.occupations = Occupations.load()
        self.places = Places.load()

    @abstractmethod
    def name(self) -> str: ...

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
