"""Buttons the registration's questions offer: common nationalities, the sender's own number."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.registration import fields
from actions.tracker import language, sender_phone
from bot.nlu.countries import COMMON, Countries

Events = list[dict[str, Any]]


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
