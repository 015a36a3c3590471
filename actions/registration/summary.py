"""action_registration_summary: every answer on one numbered line, to review before saving."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.registration import fields
from actions.tracker import language
from bot.nlu import languages as spoken
from bot.nlu.countries import Countries
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places

Events = list[dict[str, Any]]


def trade_labels(trade_ids: list[str], lang: str, occupations: Occupations) -> str:
    return ", ".join(occupations.trades[t].label(lang) for t in trade_ids if t in occupations.trades)


class ActionRegistrationSummary(Action):
    """One numbered line per answer, in the reader's language, in the order of the edit menu."""

    def name(self) -> str:
        return "action_registration_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        lang, slot = language(tracker), tracker.get_slot
        dispatcher.utter_message(response="reg_review_saved" if slot("reg_saved") else "reg_review_new")
        for response, values in self.lines(tracker, lang):
            dispatcher.utter_message(response=response, **values)
        return []

    @staticmethod
    def lines(tracker: Tracker, lang: str) -> list[tuple[str, dict[str, Any]]]:
        """(response, values) per answer; an answer not given yet has no line."""
        slot = tracker.get_slot
        found: list[tuple[str, dict[str, Any]]] = []

        def add(slot_name: str, response: str, **values: Any) -> None:
            if slot(slot_name) is not None:
                found.append((response, values))

        add("reg_full_name", "reg_line_name", value=slot("reg_full_name"))
        add("reg_birth_date", "reg_line_birth", value=slot("reg_birth_date"))
        if slot("reg_nationality"):
            add("reg_nationality", "reg_line_nationality",
                value=Countries.load().label(slot("reg_nationality"), lang))
        add("reg_document", f"reg_line_document_{slot('reg_document')}")
        add("reg_curp", "reg_line_curp" if slot("reg_curp") else "reg_line_curp_none", value=slot("reg_curp"))
        if slot("reg_phone"):
            add("reg_phone", "reg_line_phone", value=fields.phone_label(slot("reg_phone")))
        if slot("reg_state"):
            add("reg_municipality", "reg_line_place", municipality=slot("reg_municipality"),
                state=Places.load().state(slot("reg_state")).name)
        add("reg_education", f"reg_line_education_{slot('reg_education')}")
        if slot("reg_trades") is not None:
            trades = trade_labels(slot("reg_trades"), lang, Occupations.load())
            add("reg_trades", "reg_line_occupation", value=trades or slot("reg_occupation"))
        if slot("reg_experience") is not None:
            years = int(slot("reg_experience"))
            add("reg_experience", {0: "reg_line_experience_less", 1: "reg_line_experience_one"}.get(
                years, "reg_line_experience"), value=years)
        if slot("reg_languages"):
            add("reg_languages", "reg_line_languages",
                value=", ".join(spoken.label(code, lang) for code in slot("reg_languages")))
        add("reg_relocate", "reg_line_relocate_yes" if slot("reg_relocate") else "reg_line_relocate_no")
        return found
