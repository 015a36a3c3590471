"""Results: a page of cards (or why nothing was found and where else to look), the next page,
a wider search."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import contact_id, language
from actions.vacancies.slots import CARDS, NEXT, OFFSET, PAGE_SIZE, SEARCH, new_search, page_offset
from actions.vacancies.vacancy_action import VacancyAction, utter_lines
from bot.profile import SLOT_STATE
from bot.vacancies.cards import SAMPLE_SOURCE, button_labels, card_lines
from bot.vacancies.search import Suggestion, VacancySearch
from bot.vacancies.spec import SearchSpec, group_label
from db.vacancies.search import COUNT_CAP

Events = list[dict[str, Any]]


class ActionVacancySearch(VacancyAction):
    """A page of cards, or, when nothing is found, why and where else to look."""

    def name(self) -> str:
        return "action_vacancy_search"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        spec = self.spec(tracker)
        if spec.is_empty and not spec.document:
            return [SlotSet(NEXT, "ask")]
        offset = page_offset(tracker.get_slot(OFFSET))
        lang, contact = language(tracker), contact_id(tracker)
        today = self.today()
        own_state = tracker.get_slot(SLOT_STATE)
        with self.services.db.transaction() as conn:
            search = VacancySearch(conn, self.occupations, self.places)
            page = search.page(spec, today, offset=offset, limit=PAGE_SIZE, contact_id=contact,
                               prefer_state=own_state)
            if not page.vacancies and offset:
                # Offers expired since the last page: start again from the first one.
                dispatcher.utter_message(response="vacancy_no_more")
                offset = 0
                page = search.page(spec, today, limit=PAGE_SIZE, contact_id=contact, prefer_state=own_state)
            if page.vacancies:
                return self._cards(dispatcher, page.spec, page.vacancies, page.has_more, page.relaxed, offset, lang)
            return self._nothing(dispatcher, search, spec, lang, contact)

    def _cards(
        self, dispatcher: CollectingDispatcher, spec: SearchSpec, vacancies: list[Any], has_more: bool,
        relaxed: bool, offset: int, lang: str,
    ) -> Events:
        label = self.describe(spec, lang)
        if relaxed:
            dispatcher.utter_message(response="vacancy_results_relaxed")
        if not label:
            # Only a document: every offer that accepts it.
            dispatcher.utter_message(response="vacancy_results_document")
        else:
            header = "vacancy_results_header" if offset == 0 else "vacancy_results_more_header"
            dispatcher.utter_message(response=header, search=label)
        for number, vacancy in enumerate(vacancies, start=1):
            utter_lines(dispatcher, card_lines(vacancy, number, self.places))
        cards = [{"id": f"v{v.id}", "label": label} for v, label in zip(vacancies, button_labels(vacancies))]
        if any(v.source == SAMPLE_SOURCE for v in vacancies):
            dispatcher.utter_message(response="vacancy_sample_results")
        return [
            SlotSet(SEARCH, spec.to_json()), SlotSet(OFFSET, offset), SlotSet(CARDS, cards),
            SlotSet(NEXT, "more" if has_more else "last"),
        ]

    def _nothing(
        self, dispatcher: CollectingDispatcher, search: VacancySearch, spec: SearchSpec, lang: str,
        contact: int | None,
    ) -> Events:
        label = self.describe(spec, lang)
        today = self.today()
        if spec.alerted:
            dispatcher.utter_message(response="vacancy_alerted_none")
            return [SlotSet(NEXT, "nothing")]
        if spec.document and not label:
            dispatcher.utter_message(response="vacancy_results_none_document")
            return [SlotSet(NEXT, "empty_doc")]
        if spec.document and search.count(spec.but(document=None), today, contact):
            dispatcher.utter_message(response="vacancy_results_none_doc", search=label)
            return [SlotSet(NEXT, "empty_doc")]
        dispatcher.utter_message(response="vacancy_results_none", search=label)
        wider = search.suggestions(spec, today, contact)
        if not wider:
            return [SlotSet(NEXT, "nothing")]
        items = [{"id": s.id, "label": self._suggestion_label(s, lang), "spec": s.spec.to_json()} for s in wider]
        return [SlotSet("vacancy_wider", items), SlotSet(NEXT, "wider")]

    def _suggestion_label(self, suggestion: Suggestion, lang: str) -> str:
        """Data only, in the reader's language: state names, trade names and a count."""
        count = f"{suggestion.count}+" if suggestion.count >= COUNT_CAP else str(suggestion.count)
        spec = suggestion.spec
        if suggestion.kind == "near":
            return f"📍 {self.places.state(spec.state or '').name}: {count}"
        if suggestion.kind == "group":
            return f"🔧 {group_label(spec.division or '', lang, self.occupations)}: {count}"
        return f"🇲🇽 {self.describe(spec, lang)}: {count}"


class ActionVacancyMore(VacancyAction):
    def name(self) -> str:
        return "action_vacancy_more"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        return [SlotSet(OFFSET, page_offset(tracker.get_slot(OFFSET)) + PAGE_SIZE)]


class ActionVacancyWiden(VacancyAction):
    """The wider search the user picked among the suggestions."""

    def name(self) -> str:
        return "action_vacancy_widen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        picked = tracker.get_slot("vacancy_widen")
        for item in tracker.get_slot("vacancy_wider") or []:
            if isinstance(item, dict) and item.get("id") == picked:
                return new_search(SearchSpec.from_json(item.get("spec"), self.occupations))
        return [SlotSet(OFFSET, 0)]

