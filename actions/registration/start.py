"""action_registration_start: resume a registration in progress, load a saved one, or start clean."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.registration.slots import CONSENT_AT, CONSENT_VERSION, clear_form
from actions.services import NeedsServices
from actions.tracker import contact_id
from bot.registration.privacy_notice import PRIVACY_NOTICE_VERSION
from db import registrations as registration_store

Events = list[dict[str, Any]]


def slots_from_record(record: registration_store.StoredRegistration) -> Events:
    """The saved answers back in the form's slots, to review or change them."""
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
