"""The end of the SNE registration: the summary to review, and saving the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import registration_fields as fields
from actions.registration_slots import (
    ALL_SLOTS,
    CONSENT_AT,
    CONSENT_VERSION,
    NeedsServices,
    contact_id,
    first_missing,
    language,
)
from bot.nlu import languages as spoken
from bot.nlu.countries import Countries
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.sne import PRIVACY_NOTICE_VERSION
from bot.vocabulary import SLOT_DOCUMENT, SLOT_STATE, SLOT_TRADES
from db import registrations as registration_store

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


class ActionRegistrationSave(NeedsServices, Action):
    """Stores the registration (one per person, replaced on re-register) and fills the profile.

    Sets reg_next to "saved", or to the first unanswered question if something is missing
    (an old summary button, an answer removed by "back").
    """

    def name(self) -> str:
        return "action_registration_save"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        if tracker.get_slot(CONSENT_VERSION) != PRIVACY_NOTICE_VERSION:
            return [SlotSet("reg_next", "consent")]  # the notice changed since it was accepted
        missing = first_missing(tracker)
        contact = contact_id(tracker)
        if missing or contact is None:
            return [SlotSet("reg_next", missing or "review")]
        record = self.record(tracker)
        with self.services.db.transaction() as conn:
            registration_store.save(conn, contact, record, dt.datetime.now(dt.UTC))
        state = Places.load().state(record.state).name
        dispatcher.utter_message(response="reg_saved", state=state)
        # The profile outlives the form: vacancy search reads it ("jobs for me").
        profile = [
            SlotSet(SLOT_STATE, record.state),
            SlotSet(SLOT_DOCUMENT, record.document),
            SlotSet(SLOT_TRADES, list(record.trades)),
        ]
        # The answers themselves live in the registrations table now, not in the conversation.
        return [SlotSet(name, None) for name in ALL_SLOTS] + profile + [SlotSet("reg_next", "saved")]

    @staticmethod
    def record(tracker: Tracker) -> registration_store.Registration:
        slot = tracker.get_slot
        occupations = Occupations.load()
        trades = [t for t in slot("reg_trades") or [] if t in occupations.trades]
        return registration_store.Registration(
            full_name=slot("reg_full_name"),
            birth_date=dt.date.fromisoformat(slot("reg_birth_date")),
            nationality=slot("reg_nationality"),
            document=slot("reg_document"),
            curp=slot("reg_curp") or None,
            phone=slot("reg_phone"),
            state=slot("reg_state"),
            municipality=slot("reg_municipality"),
            education=slot("reg_education"),
            trades=trades,
            sinco=[occupations.trades[t].sinco for t in trades],
            occupation_text=(slot("reg_occupation") or trade_labels(trades, "es", occupations))[:200],
            experience_years=int(slot("reg_experience")),
            languages=list(slot("reg_languages")),
            willing_to_relocate=bool(slot("reg_relocate")),
            chat_language=language(tracker),
            consent_version=slot(CONSENT_VERSION),
            consent_at=dt.datetime.fromisoformat(slot(CONSENT_AT)),
        )
