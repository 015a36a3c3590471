"""What to look for: the sentence that opened the search, "new search", the answer to "what
work and where?", or the profile ("jobs for me"); any of them may ask for the jobs that
accept the person's document."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import contact_id, language
from actions.vacancies.document_words import document_named
from actions.vacancies.documents import document_search
from actions.vacancies.slots import NEXT, new_search
from actions.vacancies.vacancy_action import VacancyAction
from bot.profile import SLOT_STATE, SLOT_TRADES
from bot.vacancies.request import read_request
from bot.vacancies.spec import SearchSpec
from db.vacancies.alerts import alerts_of

Events = list[dict[str, Any]]


class ActionVacancyStart(VacancyAction):
    """The sentence that opened the search ("busco trabajo de albañil en Monterrey") is the search."""

    def name(self) -> str:
        return "action_vacancy_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        text = str(tracker.latest_message.get("text") or "")
        spec = read_request(text, language(tracker), self.occupations, self.places)
        by_document = document_search(dispatcher, tracker, without_document_words(spec), text)
        if by_document is not None:
            return by_document
        if not spec.is_empty:
            return new_search(spec)
        contact = contact_id(tracker)
        has_alerts = False
        if contact is not None:
            with self.services.db.transaction() as conn:
                has_alerts = bool(alerts_of(conn, contact))
        profile = tracker.get_slot(SLOT_TRADES) or tracker.get_slot(SLOT_STATE)
        return [SlotSet(NEXT, "choose" if profile or has_alerts else "ask")]


class ActionVacancyNew(VacancyAction):
    """"New search": its words, when typed with it, are the search; otherwise ask."""

    def name(self) -> str:
        return "action_vacancy_new"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        text = str(tracker.latest_message.get("text") or "")
        spec = read_request(text, language(tracker), self.occupations, self.places)
        return [SlotSet(NEXT, "ask")] if spec.is_empty else new_search(spec)


class ActionVacancyRead(VacancyAction):
    """The answer to "what work and where?"."""

    def name(self) -> str:
        return "action_vacancy_read"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        text = str(tracker.get_slot("vacancy_text") or "")
        spec = read_request(text, language(tracker), self.occupations, self.places)
        # The words typed are not kept: the search holds what was understood.
        events: Events = [SlotSet("vacancy_text", None)]
        by_document = document_search(dispatcher, tracker, without_document_words(spec), text)
        if by_document is not None:
            return events + by_document
        if spec.is_empty:
            dispatcher.utter_message(response="vacancy_not_understood")
            return events + [SlotSet(NEXT, "ask")]
        return events + new_search(spec)


class ActionVacancyForMe(VacancyAction):
    """Jobs for a registered user: the trades and state of their profile."""

    def name(self) -> str:
        return "action_vacancy_for_me"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        trades = tracker.get_slot(SLOT_TRADES) or []
        trades = tuple(t for t in trades if t in self.occupations.trades) if isinstance(trades, list) else ()
        spec = SearchSpec.from_json({"trades": list(trades), "state": tracker.get_slot(SLOT_STATE)})
        # "Jobs that accept my document" (typed, or the classifier's vacancies.for_me) filters by it.
        text = str(tracker.latest_message.get("text") or "")
        by_document = document_search(dispatcher, tracker, spec, text)
        if by_document is not None:
            return by_document
        if spec.is_empty:
            return [SlotSet(NEXT, "ask")]
        return new_search(spec)


def without_document_words(spec: SearchSpec) -> SearchSpec:
    """The words of "busco trabajo que acepte mi documento" that only named the document."""
    kept = tuple(w for w in spec.words if not document_named(w)[0] and w not in _ASKING)
    return spec.but(words=kept, any_words=spec.any_words and bool(kept))


# Verbs of "jobs that accept / take my papers", in the five languages: not a job's words.
_ASKING = {"aceptan", "acepten", "acepta", "acepte", "aceptar", "aksepte", "accept", "accepts", "acceptent",
           "accepte", "aceitam", "aceita", "aceitem", "take", "sirve", "sirven", "valen", "migratorio",
           "migratoire", "migration", "humanitaria", "humanitarian", "humanitaire", "humanitario", "imanite",
           "tarjeta", "carte", "card", "cartao", "kat", "visa", "visto", "viza"}
