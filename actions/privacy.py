"""Showing a person what Puente keeps about them (their right of access)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import NeedsServices
from actions.tracker import channel, contact_id
from bot.i18n import language_name
from bot.nlu.places import Places
from bot.profile import DOCUMENT_NAMES, SLOT_DOCUMENT, SLOT_STATE
from db import registrations
from db.vacancies.alerts import alerts_of

CHANNEL_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp"}


class ActionShowMyData(NeedsServices, Action):
    """Lists the personal data held in the conversation, one translated line per field."""

    def name(self) -> str:
        return "action_show_my_data"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="my_data_header")
        language = tracker.get_slot("language")
        if language:
            dispatcher.utter_message(response="my_data_language", value=language_name(language))
        written_on = channel(tracker)
        if written_on in CHANNEL_NAMES:
            dispatcher.utter_message(response="my_data_channel", value=CHANNEL_NAMES[written_on])
        state = tracker.get_slot(SLOT_STATE)
        if state in Places.load().states:
            dispatcher.utter_message(response="my_data_state", value=Places.load().state(state).name)
        document = tracker.get_slot(SLOT_DOCUMENT)
        if document in DOCUMENT_NAMES:
            dispatcher.utter_message(response="my_data_document", value=DOCUMENT_NAMES[document])
        contact = contact_id(tracker)
        if contact is not None:
            with self.services.db.transaction() as conn:
                registered = registrations.find(conn, contact) is not None
                alerts = len(alerts_of(conn, contact))
            if registered:
                dispatcher.utter_message(response="my_data_registration")
            if alerts:
                dispatcher.utter_message(response="my_data_alerts", count=alerts)
        return []
