"""validate_registration_form: checks each answer of the SNE registration, one slot at a time.

The engine sends the typed answer as the candidate of the requested slot; a method returns
the value to keep (and related slots), or {slot: None} after uttering why it was refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.registration import fields
from actions.registration.slots import CURP_CONFLICT
from actions.tracker import language
from bot.days import mexico_today
from bot.nlu.countries import Countries
from bot.nlu.languages import spoken_languages
from bot.nlu.normalize import normalize
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places

Slots = dict[str, Any]


class ValidateRegistrationForm(FormValidationAction):
    def name(self) -> str:
        return "validate_registration_form"

    @staticmethod
    def refuse(slot: str, refusal: fields.Refusal, dispatcher: CollectingDispatcher) -> Slots:
        dispatcher.utter_message(response=refusal.response, **refusal.values)
        return {slot: None}

    def validate_reg_full_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        try:
            return {"reg_full_name": fields.full_name(str(value))}
        except fields.Refusal as refusal:
            return self.refuse("reg_full_name", refusal, dispatcher)

    def validate_reg_birth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        try:
            born = fields.birth_date(
                str(value), mexico_today(), language(tracker), tracker.get_slot("reg_curp") or None
            )
        except fields.Refusal as refusal:
            return self.refuse("reg_birth_date", refusal, dispatcher)
        return {"reg_birth_date": born}

    def validate_reg_nationality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        try:
            return {"reg_nationality": fields.nationality(str(value), language(tracker), Countries.load())}
        except fields.Refusal as refusal:
            return self.refuse("reg_nationality", refusal, dispatcher)

    def validate_reg_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        try:
            answer = fields.curp(str(value), mexico_today(), tracker.get_slot("reg_birth_date"))
        except fields.Refusal as refusal:
            return self.refuse("reg_curp", refusal, dispatcher)
        # A birth date that differs is asked about next (the route's curp_conflict), not replaced.
        return {"reg_curp": answer.curp, CURP_CONFLICT: answer.conflicting_birth_date}

    def validate_reg_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        try:
            return {"reg_phone": fields.phone(str(value))}
        except fields.Refusal as refusal:
            return self.refuse("reg_phone", refusal, dispatcher)

    def validate_reg_state(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        try:
            found = fields.place(str(value), language(tracker), Places.load(), Countries.load())
        except fields.Refusal as refusal:
            return self.refuse("reg_state", refusal, dispatcher)
        municipality = found.municipality
        if municipality is None and found.state == tracker.get_slot("reg_state"):
            municipality = tracker.get_slot("reg_municipality")  # same state again: keep it
        return {"reg_state": found.state, "reg_municipality": municipality}

    def validate_reg_municipality(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        state = tracker.get_slot("reg_state")
        if not state:
            return {"reg_municipality": None}  # the route asks the state first
        try:
            return {"reg_municipality": fields.municipality(str(value), state, Places.load())}
        except fields.Refusal as refusal:
            return self.refuse("reg_municipality", refusal, dispatcher)

    def validate_reg_trades(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        text = " ".join(str(value).split())
        found = fields.trades(text, language(tracker), Occupations.load())
        if found:
            return {"reg_trades": found, "reg_occupation": text, "reg_occupation_unknown": None}
        if normalize(text) == normalize(tracker.get_slot("reg_occupation_unknown") or ""):
            # Said twice: a trade we do not know. Kept in the person's words for the SNE.
            dispatcher.utter_message(response="reg_trades_kept", value=text)
            return {"reg_trades": [], "reg_occupation": text, "reg_occupation_unknown": None}
        dispatcher.utter_message(response="reg_trades_unknown", value=fields.echo(text))
        return {"reg_trades": None, "reg_occupation_unknown": text}

    def validate_reg_experience(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        born = tracker.get_slot("reg_birth_date")
        age = fields.age_on(dt.date.fromisoformat(born), mexico_today()) if born else None
        try:
            return {"reg_experience": fields.experience(str(value), age)}
        except fields.Refusal as refusal:
            return self.refuse("reg_experience", refusal, dispatcher)

    def validate_reg_languages(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        try:
            return {"reg_languages": fields.languages(str(value), spoken_languages())}
        except fields.Refusal as refusal:
            return self.refuse("reg_languages", refusal, dispatcher)
