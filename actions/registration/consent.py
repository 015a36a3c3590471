"""The privacy notice: accepting it (which version, when), or refusing and dropping the answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.registration.slots import CONSENT_AT, CONSENT_VERSION, clear_form
from bot.registration.privacy_notice import PRIVACY_NOTICE_VERSION

Events = list[dict[str, Any]]


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
