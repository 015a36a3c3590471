"""Showing a person what Puente keeps about them (their right of access)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.registration_slots import NeedsServices, contact_id
from bot.i18n import language_name
from db import registrations

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
        channel = (tracker.latest_message.get("metadata") or {}).get("channel")
        if channel in CHANNEL_NAMES:
            dispatcher.utter_message(response="my_data_channel", value=CHANNEL_NAMES[channel])
        contact = contact_id(tracker)
        if contact is not None:
            with self.services.db.transaction() as conn:
                if registrations.find(conn, contact):
                    dispatcher.utter_message(response="my_data_registration")
        return []
