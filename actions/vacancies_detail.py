"""One vacancy in full (requirements, documents, how to apply), and reporting it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.vacancies_base import NEXT, VacancyAction, utter_lines
from bot.vacancies.cards import detail_lines
from db.vacancy_flags import REASONS, add_flag
from db.vacancy_store import get_vacancy

Events = list[dict[str, Any]]
CURRENT = "vacancy_current"


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


class ActionVacancyReport(VacancyAction):
    """A user says the offer asks for money, looks like fraud, or has wrong data: staff see it."""

    def name(self) -> str:
        return "action_vacancy_report"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        reason = tracker.get_slot("vacancy_report")
        current = tracker.get_slot(CURRENT)
        if reason not in REASONS or not isinstance(current, int):
            dispatcher.utter_message(response="vacancy_gone")
            return [SlotSet("vacancy_report", None)]
        with self.services.db.transaction() as conn:
            if get_vacancy(conn, current) is None:
                dispatcher.utter_message(response="vacancy_gone")
                return [SlotSet("vacancy_report", None)]
            added = add_flag(conn, current, self.contact_id(tracker), reason, self.now())
        dispatcher.utter_message(response="vacancy_report_thanks" if added else "vacancy_report_already")
        dispatcher.utter_message(response="vacancy_never_pay")
        return [SlotSet("vacancy_report", None)]
