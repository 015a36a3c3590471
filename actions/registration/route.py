"""action_registration_route: which question comes next."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.registration.slots import first_missing, settle_curp_conflict


class ActionRegistrationRoute(Action):
    """The next question: the first one without an answer, or the review when all are there."""

    def name(self) -> str:
        return "action_registration_route"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        events, said = settle_curp_conflict(tracker)
        slots = dict(tracker.current_slot_values())
        for event in events:
            slots[event["name"]] = event["value"]
        if said:
            dispatcher.utter_message(response=said, value=slots.get("reg_birth_date"))
        return events + [SlotSet("reg_next", first_missing(slots) or "review")]
