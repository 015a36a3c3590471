"""Alerts from the chat: save the current search, list, see what was sent, stop."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker import contact_id, language
from actions.vacancies.slots import NEXT, new_search
from actions.vacancies.vacancy_action import VacancyAction
from bot.vacancies.spec import SearchSpec
from db.vacancies.alerts import MAX_ALERTS, add_alert, alerts_of, remove_alerts

Events = list[dict[str, Any]]


class ActionVacancyAlertAdd(VacancyAction):
    def name(self) -> str:
        return "action_vacancy_alert_add"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        spec = self.spec(tracker)
        contact = contact_id(tracker)
        if spec.is_empty or spec.alerted or contact is None:
            dispatcher.utter_message(response="vacancy_alert_cannot")
            return []
        # Relaxed words ("any of") are saved as they were typed: an alert asks for all of them.
        spec = spec.but(any_words=False)
        label = self.describe(spec, language(tracker))
        with self.services.db.transaction() as conn:
            outcome = add_alert(conn, contact, spec.to_json(), spec.key(), self.now())
        if outcome == "limit":
            dispatcher.utter_message(response="vacancy_alert_limit", count=MAX_ALERTS)
        else:
            dispatcher.utter_message(response=f"vacancy_alert_{outcome}", search=label)
        return []


class ActionVacancyAlerts(VacancyAction):
    """Lists the user's alerts by the names of their searches."""

    def name(self) -> str:
        return "action_vacancy_alerts"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        contact = contact_id(tracker)
        subscriptions = []
        if contact is not None:
            with self.services.db.transaction() as conn:
                subscriptions = alerts_of(conn, contact)
        if not subscriptions:
            return [SlotSet(NEXT, "none")]
        dispatcher.utter_message(response="vacancy_alerts_list")
        lang = language(tracker)
        for subscription in subscriptions:
            spec = SearchSpec.from_json(subscription.query, self.occupations)
            dispatcher.utter_message(text=f"• {self.describe(spec, lang)}")
        return [SlotSet(NEXT, "has")]


class ActionVacancyAlerted(VacancyAction):
    """"See new offers": the vacancies alerts already sent to this user that are still open."""

    def name(self) -> str:
        return "action_vacancy_alerted"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        return new_search(SearchSpec(alerted=True))


class ActionVacancyAlertsStop(VacancyAction):
    """One alert is removed at once; with several, the user picks (or "all")."""

    def name(self) -> str:
        return "action_vacancy_alerts_stop"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        contact = contact_id(tracker)
        if contact is None:
            dispatcher.utter_message(response="vacancy_alerts_none")
            return [SlotSet(NEXT, "done")]
        lang = language(tracker)
        with self.services.db.transaction() as conn:
            subscriptions = alerts_of(conn, contact)
            if len(subscriptions) == 1:
                remove_alerts(conn, contact, subscriptions[0].id)
        if not subscriptions:
            dispatcher.utter_message(response="vacancy_alerts_none")
            return [SlotSet(NEXT, "done")]
        if len(subscriptions) == 1:
            spec = SearchSpec.from_json(subscriptions[0].query, self.occupations)
            dispatcher.utter_message(response="vacancy_alerts_removed", search=self.describe(spec, lang))
            return [SlotSet(NEXT, "done")]
        choices = [
            {"id": f"a{s.id}", "label": self.describe(SearchSpec.from_json(s.query, self.occupations), lang)[:60]}
            for s in subscriptions
        ]
        return [SlotSet("vacancy_alert_choices", choices), SlotSet(NEXT, "pick")]


class ActionVacancyAlertsRemove(VacancyAction):
    def name(self) -> str:
        return "action_vacancy_alerts_remove"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> Events:
        contact = contact_id(tracker)
        picked = str(tracker.get_slot("vacancy_alert_pick") or "")
        if contact is None:
            return []
        lang = language(tracker)
        with self.services.db.transaction() as conn:
            if picked == "all":
                remove_alerts(conn, contact)
                dispatcher.utter_message(response="vacancy_alerts_removed_all")
                return [SlotSet("vacancy_alert_choices", None)]
            subscriptions = {f"a{s.id}": s for s in alerts_of(conn, contact)}
            chosen = subscriptions.get(picked)
            if chosen is None:
                dispatcher.utter_message(response="vacancy_alerts_none")
                return [SlotSet("vacancy_alert_choices", None)]
            remove_alerts(conn, contact, chosen.id)
        spec = SearchSpec.from_json(chosen.query, self.occupations)
        dispatcher.utter_message(response="vacancy_alerts_removed", search=self.describe(spec, lang))
        return [SlotSet("vacancy_alert_choices", None)]
