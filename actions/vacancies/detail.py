"""action_vacancy_detail: one vacancy in full (requirements, documents, how to apply)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.vacancies.slots import CURRENT, NEXT
from actions.vacancies.vacancy_action import VacancyAction, utter_lines
from bot.vacancies.cards import detail_lines
from db.vacancies.store import get_vacancy

Events = list[dict[str, Any]]


def vacancy_id(value: Any) -> int | None:
    """Card ids are "v123"; anything else (a stale or forged button) is no vacancy."""
    text = str(value or "")
    return int(text[1:]) if text.startswith("v") and text[1:].isdigit() else None


class ActionVacancyDetail(VacancyAction):
    def name(self) -> str:
        return "action_vacancy_detail"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        wanted = vacancy_id(tracker.get_slot("vacancy_pick"))
        vacancy = None
        if wanted is not None:
            with self.services.db.transaction() as conn:
                vacancy = get_vacancy(conn, wanted, self.today())
        if vacancy is None:
            dispatcher.utter_message(response="vacancy_gone")
            return [SlotSet(NEXT, "gone")]
        utter_lines(dispatcher, detail_lines(vacancy, self.places))
        return [SlotSet(CURRENT, vacancy.id), SlotSet(NEXT, "shown")]
