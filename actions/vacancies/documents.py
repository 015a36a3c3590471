""""Only jobs that accept my document": the profile's document (registration), or ask once."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.vacancies.slots import NEXT, OFFSET, SEARCH
from actions.vacancies.vacancy_action import VacancyAction
from bot.profile import DOCUMENTS, SLOT_DOCUMENT

Events = list[dict[str, Any]]


class ActionVacancyDocument(VacancyAction):
    """Says which document we know the user has, or that we must ask."""

    def name(self) -> str:
        return "action_vacancy_document"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        document = tracker.get_slot(SLOT_DOCUMENT)
        if document not in DOCUMENTS:
            return [SlotSet(NEXT, "unknown")]
        dispatcher.utter_message(response="vacancy_your_document")
        dispatcher.utter_message(response=f"vacancy_doc_{document}")
        return [SlotSet(NEXT, "known")]


class ActionVacancyDocumentOn(VacancyAction):
    def name(self) -> str:
        return "action_vacancy_document_on"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        document = tracker.get_slot(SLOT_DOCUMENT)
        spec = self.spec(tracker)
        if document == "none" or document not in DOCUMENTS:
            # No offer lists "none": say what helps instead of showing an empty list.
            dispatcher.utter_message(response="vacancy_no_document_info")
            spec = spec.but(document=None)
        else:
            spec = spec.but(document=document)
        return [SlotSet(SEARCH, spec.to_json()), SlotSet(OFFSET, 0)]


class ActionVacancyDocumentOff(VacancyAction):
    def name(self) -> str:
        return "action_vacancy_document_off"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        return [SlotSet(SEARCH, self.spec(tracker).but(document=None).to_json()), SlotSet(OFFSET, 0)]
