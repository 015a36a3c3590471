"""The dashboard's panels: aggregates for the partners' needs analysis, never a person.

A panel is a query returning (label, count) groups; the dashboard suppresses groups of people
under K_ANONYMITY and draws the rest. A feature adds its panels to PANELS (registrations and
vacancies: registration_panels.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from bot.engine import CompiledContent
from bot.engine.model import Flow
from bot.web.admin import registration_panels as reg
from bot.web.admin.period import Period, per_day
from bot.web.admin.translations import N_, _
from db.tables import contacts, counters

__all__ = ["PANELS", "Panel", "Period"]


@dataclass(frozen=True)
class Panel:
    """Texts are marked with N_ and translated when the dashboard is drawn."""

    key: str
    title: str
    explanation: str
    unit: str
    # "bars" for categories, "columns" for time.
    kind: str
    query: Callable[[Connection, Period, CompiledContent], list[tuple[str, int]]]
    permission: str = "dashboard"
    # Counts of people are suppressed under K_ANONYMITY; counts of offers are not.
    people: bool = True
    # The title when a period is drawn by week (columns over time).
    weekly_title: str = ""


def new_contacts_over_time(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    totals: Counter[str] = Counter()
    for day, count in per_day(conn, contacts.c.created_at, period).items():
        totals[period.bucket(day)] += count
    return sorted(totals.items())


def contacts_by_language(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    rows = conn.execute(
        select(contacts.c.language, func.count()).where(contacts.c.created_at >= period.start)
        .group_by(contacts.c.language)
    )
    names = content.language_names
    found = [(names.get(lang, lang) if lang else _("Not chosen yet"), count) for lang, count in rows]
    return sorted(found, key=lambda r: -r[1])


def _counter(conn: Connection, name: str, period: Period) -> list[tuple[str, int]]:
    rows = conn.execute(
        select(counters.c.key, func.sum(counters.c.count))
        .where(counters.c.name == name, counters.c.day >= period.since).group_by(counters.c.key)
    )
    return [(key, int(count)) for key, count in rows]


def topics_read(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    found = []
    for ref, count in _counter(conn, "read", period):
        flow_id, _, step_id = ref.partition(".")
        flow = content.flows.get(flow_id)
        title = flow.title.source if flow and flow.title else flow_id
        found.append((f"{title} › {_button_to(flow, step_id) if flow else step_id}", count))
    return sorted(found, key=lambda r: -r[1])[:20]


def _button_to(flow: Flow, step_id: str) -> str:
    """A topic as staff know it: the label of the button that leads to it, else its id."""
    for step in flow.steps.values():
        for choice in step.choices:
            if choice.go in (step_id, f"{flow.id}.{step_id}"):
                return choice.label.source
    return step_id


def fallbacks_by_language(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for key, count in _counter(conn, "fallback", period):
        lang = key.split(":", 1)[0] if ":" in key else "?"
        name = content.language_names.get(lang, _("Unknown language"))
        totals[name] = totals.get(name, 0) + count
    return sorted(totals.items(), key=lambda r: -r[1])


PANELS: list[Panel] = [
    Panel("contacts_time", N_("New people per day"), N_("People who wrote to Puente for the first time."),
          N_("people"), "columns", new_contacts_over_time, weekly_title=N_("New people per week")),
    Panel("contacts_language", N_("People by language"), N_("The language each new person chose."),
          N_("people"), "bars", contacts_by_language),
    Panel("topics", N_("Most-read rights topics"), N_("How often each topic was shown (not people)."),
          N_("times shown"), "bars", topics_read),
    Panel("fallbacks", N_("Texts shown in Spanish for lack of a translation"),
          N_("Each time a user got Spanish because a text was missing or outdated in their language."),
          N_("times"), "bars", fallbacks_by_language),
    Panel("registrations_time", N_("Registrations per day"),
          N_("People who completed the employment-service registration."),
          N_("people"), "columns", reg.registrations_over_time, weekly_title=N_("Registrations per week")),
    Panel("registrations_nationality", N_("Registrations by nationality"), N_("The nationality each person gave."),
          N_("people"), "bars", reg.registrations_by_nationality),
    Panel("registrations_state", N_("Registrations by state"), N_("The state where each person lives."),
          N_("people"), "bars", reg.registrations_by_state),
    Panel("registrations_trade", N_("Registrations by trade"),
          N_("Trades recognised in what people said they do; a person with two trades counts in both."),
          N_("people"), "bars", reg.registrations_by_trade),
    Panel("registrations_document", N_("Registrations by migration document"), N_("The document each person has."),
          N_("people"), "bars", reg.registrations_by_document),
    Panel("registrations_language", N_("Registrations by language spoken"),
          N_("Languages people speak; a person who speaks three counts in each."),
          N_("people"), "bars", reg.registrations_by_language),
    Panel("vacancies_state", N_("Open vacancies by state"),
          N_("Offers users can find today, whatever the period (offers, not people: nothing is hidden)."),
          N_("vacancies"), "bars", reg.open_vacancies_by_state, people=False),
]
