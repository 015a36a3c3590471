""""Only jobs that accept my document": the profile's document (registration), or ask once;
by a button, or typed ("trabajos que aceptan mi documento", "travay ki aksepte papye m")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.vacancies.document_words import document_named
from actions.vacancies.slots import NEXT, OFFSET, SEARCH, new_search
from actions.vacancies.vacancy_action import VacancyAction
from bot.profile import DOCUMENTS, SLOT_DOCUMENT
from bot.vacancies.spec import SearchSpec

Events = list[dict[str, Any]]


def document_search(
    dispatcher: CollectingDispatcher, tracker: Tracker, spec: SearchSpec, text: str
) -> Events | None:
    """Typed "jobs that accept my document" (or "...my humanitarian card"): the search `spec`
    filtered by the document named, else the profile's; asked first when we do not know it
    (vacancies.document_ask). None when the text is not about a document."""
    meant, named = document_named(text)
    if not meant:
        return None
    events: Events = [SlotSet(SLOT_DOCUMENT, named)] if named else []
    document = named or tracker.get_slot(SLOT_DOCUMENT)
    if document not in DOCUMENTS:
        return events + [SlotSet(SEARCH, spec.to_json()), SlotSet(OFFSET, 0), SlotSet(NEXT, "document_ask")]
    filtered = filter_by(dispatcher, spec, document)
    if filtered.is_empty and not filtered.document:
        return events + [SlotSet(NEXT, "ask")]
    return events + new_search(filtered)


def filter_by(dispatcher: CollectingDispatcher, spec: SearchSpec, document: str | None) -> SearchSpec:
    if document == "none" or document not in DOCUMENTS:
        # No offer lists "none": say what helps instead of showing an empty list.
        dispatcher.utter_message(response="vacancy_no_document_info")
        return spec.but(document=None)
    return spec.but(document=document)


class ActionVacancyDocument(VacancyAction):
    """Says which document we know the user has, or that we must ask; a document named in the
    words that brought the user here ("only the ones for my humanitarian card") is taken."""

    def name(self) -> str:
        return "action_vacancy_document"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        _, named = document_named(str(tracker.latest_message.get("text") or ""))
        if named:
            return [SlotSet(SLOT_DOCUMENT, named), SlotSet(NEXT, "named")]
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
        spec = filter_by(dispatcher, self.spec(tracker), tracker.get_slot(SLOT_DOCUMENT))
        return [SlotSet(SEARCH, spec.to_json()), SlotSet(OFFSET, 0)]


class ActionVacancyDocumentOff(VacancyAction):
    def name(self) -> str:
        return "action_vacancy_document_off"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        return [SlotSet(SEARCH, self.spec(tracker).but(document=None).to_json()), SlotSet(OFFSET, 0)]
