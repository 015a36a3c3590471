"""The dashboard's panels: aggregates for the partners' needs analysis, never a person.

A panel is a query returning (label, count) groups; the dashboard suppresses groups under
K_ANONYMITY and draws the rest. A feature adds its panels to PANELS (e.g. registrations by
nationality, state, trade or document once registrations land)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from bot.engine import CompiledContent
from db.tables import contacts, counters


@dataclass(frozen=True)
class Period:
    since: dt.date
    days: int

    @property
    def by_week(self) -> bool:
        return self.days > 45


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


def _bucket(day: dt.date, period: Period) -> str:
    return (day - dt.timedelta(days=day.weekday())).isoformat() if period.by_week else day.isoformat()


def new_contacts_over_time(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    start = dt.datetime.combine(period.since, dt.time(), dt.UTC)
    day = func.date(contacts.c.created_at)
    rows = conn.execute(select(day, func.count()).where(contacts.c.created_at >= start).group_by(day))
    totals: dict[str, int] = {}
    for value, count in rows:
        when = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        key = _bucket(when, period)
        totals[key] = totals.get(key, 0) + count
    return sorted(totals.items())


def contacts_by_language(conn: Connection, period: Period, content: CompiledContent) -> list[tuple[str, int]]:
    start = dt.datetime.combine(period.since, dt.time(), dt.UTC)
    rows = conn.execute(
        select(contacts.c.language, func.count()).where(contacts.c.created_at >= start).group_by(contacts.c.language)
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
]
