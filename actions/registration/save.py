"""action_registration_save: the registration stored (one per person) and the profile filled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.registration.slots import ALL_SLOTS, CONSENT_AT, CONSENT_VERSION, first_missing
from actions.registration.summary import trade_labels
from actions.services import NeedsServices
from actions.tracker import contact_id, language
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.profile import SLOT_DOCUMENT, SLOT_STATE, SLOT_TRADES
from bot.registration.privacy_notice import PRIVACY_NOTICE_VERSION
from db import registrations as registration_store

Events = list[dict[str, Any]]


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
