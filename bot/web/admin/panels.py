"""The dashboard's panels: aggregates for the partners' needs analysis, never a person.

A panel is a query returning (label, count) groups; the dashboard suppresses groups of people
under K_ANONYMITY and draws the rest. A feature adds its panels to PANELS (registrations and
vacancies: registration_panels.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from bot.engine import CompiledContent
from bot.web.admin import registration_panels as reg
from bot.web.admin.period import Period, day_of
from db.tables import contacts, counters

__all__ = ["PANELS", "Panel", "Period"]


@dataclass(frozen=True)
class Panel:
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


def new_contacts_over_time(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    day = func.date(contacts.c.created_at)
    rows = conn.execute(select(day, func.count()).where(contacts.c.created_at >= period.start).group_by(day))
    totals: dict[str, int] = {}
    for value, count in rows:
        key = period.bucket(day_of(value))
        totals[key] = totals.get(key, 0) + count
    return sorted(totals.items())


def contacts_by_language(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    rows = conn.execute(
        select(contacts.c.language, func.count()).where(contacts.c.created_at >= period.start)
        .group_by(contacts.c.language)
    )
    names = content.language_names
    found = [(names.get(lang, lang) if lang else "Not chosen yet", count) for lang, count in rows]
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
        found.append((f"{title} › {step_id}", count))
    return sorted(found, key=lambda r: -r[1])[:20]


def fallbacks_by_language(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for key, count in _counter(conn, "fallback", period):
        lang = key.split(":", 1)[0] if ":" in key else "?"
        name = content.language_names.get(lang, "Unknown language")
        totals[name] = totals.get(name, 0) + count
    return sorted(totals.items(), key=lambda r: -r[1])


PANELS: list[Panel] = [
    Panel("contacts_time", "New people per day", "People who wrote to Puente for the first time.",
          "people", "columns", new_contacts_over_time),
    Panel("contacts_language", "People by language", "The language each new person chose.",
          "people", "bars", contacts_by_language),
    Panel("topics", "Most-read rights topics", "How often each topic was shown (not people).",
          "times shown", "bars", topics_read),
    Panel("fallbacks", "Texts shown in Spanish for lack of a translation",
          "Each time a user got Spanish because a text was missing or outdated in their language.",
          "times", "bars", fallbacks_by_language),
    Panel("registrations_time", "Registrations per day", "People who completed the employment-service registration.",
          "people", "columns", reg.registrations_over_time),
    Panel("registrations_nationality", "Registrations by nationality", "The nationality each person gave.",
          "people", "bars", reg.registrations_by_nationality),
    Panel("registrations_state", "Registrations by state", "The state where each person lives.",
          "people", "bars", reg.registrations_by_state),
    Panel("registrations_trade", "Registrations by trade",
          "Trades recognised in what people said they do; a person with two trades counts in both.",
          "people", "bars", reg.registrations_by_trade),
    Panel("registrations_document", "Registrations by migration document", "The document each person has.",
          "people", "bars", reg.registrations_by_document),
    Panel("registrations_language", "Registrations by language spoken",
          "Languages people speak; a person who speaks three counts in each.",
          "people", "bars", reg.registrations_by_language),
    Panel("vacancies_state", "Open vacancies by state",
          "Offers users can find today, whatever the period (offers, not people: nothing is hidden).",
          "vacancies", "bars", reg.open_vacancies_by_state, people=False),
]
