"""Where to get support: the organizations of dialogs/support_places.yaml for a kind and a state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import NeedsServices
from bot.content.data import ALL_STATES
from bot.engine.model import LocalText
from bot.nlu.places import Places
from bot.profile import SLOT_STATE

DATA_NAME = "support_places"
SLOT_KIND = "support_kind"
# Contact fields in the order they are shown, each with the response that labels it.
CONTACT_FIELDS = (("address", "support_address"), ("phone", "support_phone"),
                  ("email", "support_email"), ("web", "support_web"))

Record = Mapping[str, Any]


def select(records: Sequence[Record], kind: str | None, state: str | None) -> list[tuple[str, list[Record]]]:
    """Groups to show, in order: the user's state, the whole country, then each other state.

    A group is (INEGI code or "all", records); a record working in several states is shown
    once, in the first group it belongs to. The user's state comes back empty when nobody
    serves it, so that the list can say so.
    """
    wanted = [r for r in records if kind is None or kind in r.get("kinds", ())]
    order: list[str] = ([state] if state else []) + [ALL_STATES]
    for record in wanted:
        order += [code for code in record.get("states", ()) if code not in order]
    groups: list[tuple[str, list[Record]]] = []
    shown: set[str] = set()
    for code in order:
        members = [r for r in wanted if code in r.get("states", ()) and r["id"] not in shown]
        shown |= {r["id"] for r in members}
        groups.append((code, members))
    national = any(members for code, members in groups if code == ALL_STATES)
    # "Nobody in your state" only when nobody serves the whole country either.
    return [(code, members) for code, members in groups if members or (code == state and not national)]


class ActionSupportPlaces(NeedsServices, Action):
    """Lists the organizations that offer the chosen kind of support, the user's state first."""

    def name(self) -> str:
        return "action_support_places"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        data = self.services.content().data.get(DATA_NAME)
        places = Places.load()
        state = tracker.get_slot(SLOT_STATE)
        state = state if state in places.states else None
        groups = select(data.items if data else (), tracker.get_slot(SLOT_KIND), state)
        shown = [record for _, members in groups for record in members]
        for code, members in groups:
            if code == ALL_STATES:
                dispatcher.utter_message(response="support_national")
            elif members:
                dispatcher.utter_message(response="support_in_state", state=places.state(code).name)
            else:
                dispatcher.utter_message(response="support_nothing_here", state=places.state(code).name)
            for record in members:
                self.utter_record(dispatcher, record)
        if not shown:
            dispatcher.utter_message(response="support_none")
            return []
        if any(not any(r.get(f) for f in ("phone", "email", "web")) for r in shown):
            dispatcher.utter_message(response="support_no_contact")
        reviewed = [r["reviewed"] for r in shown if r.get("reviewed")]
        if reviewed:
            # The list is only as fresh as its least recently checked item.
            dispatcher.utter_message(response="support_reviewed", date=min(reviewed))
        return []

    @staticmethod
    def utter_record(dispatcher: CollectingDispatcher, record: Record) -> None:
        dispatcher.utter_message(response="support_place", name=record["name"])
        offers = record.get("offers")
        if isinstance(offers, LocalText):
            dispatcher.utter_message(response=offers.ctx)
        for field, response in CONTACT_FIELDS:
            if record.get(field):
                dispatcher.utter_message(response=response, **{field: record[field]})


class ValidateSupportForm(FormValidationAction):
    """The state a person names ("Monterey", "estoy en CDMX"), kept as its INEGI code."""

    def name(self) -> str:
        return "validate_support_form"

    def validate_profile_state(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        places = Places.load()
        text = str(slot_value or "")
        place = places.parse(text) or places.find(text)
        if place is None:
            dispatcher.utter_message(response="support_state_unknown")
            return {SLOT_STATE: None}
        return {SLOT_STATE: place.state.code}
