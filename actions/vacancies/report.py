"""action_vacancy_report: a user reports an offer (asks for money, looks like fraud, wrong data)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import contact_id
from actions.vacancies.slots import CURRENT
from actions.vacancies.vacancy_action import VacancyAction
from db.vacancies.flags import REASONS, add_flag
from db.vacancies.store import get_vacancy

Events = list[dict[str, Any]]


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
            added = add_flag(conn, current, contact_id(tracker), reason, self.now())
        dispatcher.utter_message(response="vacancy_report_thanks" if added else "vacancy_report_already")
        dispatcher.utter_message(response="vacancy_never_pay")
        return [SlotSet("vacancy_report", None)]
