"""Actions that steer the SNE registration: start, consent, next question, and question buttons."""

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
    sender_phone,
)
from bot.nlu.countries import COMMON, Countries
from bot.sne import PRIVACY_NOTICE_VERSION
from db import registrations as registration_store

Events = list[dict[str, Any]]


def clear_form() -> Events:
    return [SlotSet(slot, None) for slot in ALL_SLOTS]


def slots_from_record(record: registration_store.StoredRegistration) -> Events:
    data = record.data
    values = {
        "reg_full_name": data.full_name,
        "reg_birth_date": data.birth_date.isoformat(),
        "reg_nationality": data.nationality,
        "reg_document": data.document,
        "reg_curp": data.curp or "",
        "reg_phone": data.phone,
        "reg_state": data.state,
        "reg_municipality": data.municipality,
        "reg_education": data.education,
        "reg_trades": list(data.trades),
        "reg_occupation": data.occupation_text,
        "reg_experience": data.experience_years,
        "reg_languages": list(data.languages),
        "reg_relocate": data.willing_to_relocate,
        CONSENT_VERSION: data.consent_version,
        CONSENT_AT: data.consent_at.isoformat(),
        "reg_saved": True,
    }
    return [SlotSet(name, value) for name, value in values.items()]


class ActionRegistrationStart(NeedsServices, Action):
    """Resumes a registration in progress, loads a saved one (to review or change), or starts clean.

    Sets reg_entry: "route" when the current privacy notice is accepted, else "consent".
    """

    def name(self) -> str:
        return "action_registration_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        consent = tracker.get_slot(CONSENT_VERSION)
        events: Events = []
        if consent is None:
            record = None
            contact = contact_id(tracker)
            if contact is not None:
                with self.services.db.transaction() as conn:
                    record = registration_store.find(conn, contact)
            events = slots_from_record(record) if record else clear_form()
            consent = record.data.consent_version if record else None
        entry = "route" if consent == PRIVACY_NOTICE_VERSION else "consent"
        return events + [SlotSet("reg_entry", entry)]


class ActionRegistrationConsent(Action):
    """The person accepted the privacy notice: remember which version, and when."""

    def name(self) -> str:
        return "action_registration_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        return [SlotSet(CONSENT_VERSION, PRIVACY_NOTICE_VERSION), SlotSet(CONSENT_AT, now.isoformat())]


class ActionRegistrationForget(Action):
    """Refusal or cancel: the answers not yet saved are dropped from the conversation."""

    def name(self) -> str:
        return "action_registration_forget"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        if tracker.get_slot("reg_saved"):
            dispatcher.utter_message(response="reg_forget_kept")
        else:
            dispatcher.utter_message(response="reg_forget_nothing_kept")
        return clear_form()


class ActionRegistrationRoute(Action):
    """The next question: the first one without an answer, or the review when all are there."""

    def name(self) -> str:
        return "action_registration_route"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        return [SlotSet("reg_next", first_missing(tracker) or "review")]


class ActionRegistrationCountries(Action):
    """Buttons for the most common nationalities, named in the reader's language."""

    def name(self) -> str:
        return "action_registration_countries"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        countries, lang = Countries.load(), language(tracker)
        buttons = [{"id": code, "label": countries.label(code, lang)} for code in COMMON]
        return [SlotSet("reg_countries", buttons)]


class ActionRegistrationPhoneOffer(Action):
    """On channels that know the sender's number (WhatsApp), offer it as a button."""

    def name(self) -> str:
        return "action_registration_phone_offer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        offer: list[dict[str, str]] = []
        sender = sender_phone(tracker)
        if sender:
            try:
                number = fields.phone(sender if sender.lstrip().startswith(("+", "whatsapp:")) else "+" + sender)
            except fields.Refusal:
                number = None
            if number:
                offer = [{"id": number, "label": fields.phone_label(number)}]
        return [SlotSet("reg_phone_offer", offer), SlotSet("reg_phone_offered", bool(offer))]
