"""Dashboard queries over registrations (and open vacancies): counts per group, never a person.
The dashboard hides any group under charts.K_ANONYMITY; these only count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, select

from bot.engine import CompiledContent
from bot.nlu import languages as spoken
from bot.nlu.countries import Countries
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.profile import DOCUMENT_NAMES
from bot.web.admin.period import Period, per_day
from bot.web.admin.translations import N_, _
from db.registrations import registrations
from db.vacancies.store import current
from db.vacancies.tables import vacancies

Rows = list[tuple[str, int]]


def _largest_first(counts: Counter[str]) -> Rows:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def registrations_over_time(conn: Connection, period: Period, content: CompiledContent) -> Rows:
    totals: Counter[str] = Counter()
    for day, count in per_day(conn, registrations.c.created_at, period).items():
        totals[period.bucket(day)] += count
    return sorted(totals.items())


def _by_column(column: Any, name: Callable[[str], str]) -> Callable[[Connection, Period, CompiledContent], Rows]:
    def query(conn: Connection, period: Period, content: CompiledContent) -> Rows:
        rows = conn.execute(select(column, func.count()).where(registrations.c.created_at >= period.start)
                            .group_by(column))
        totals: Counter[str] = Counter()
        for code, count in rows:
            totals[name(code)] += count
        return _largest_first(totals)
    return query


def _by_list(column: Any, name: Callable[[str], str], none: str) -> Callable[[Connection, Period, CompiledContent], Rows]:
    """People per item of a JSON list (trades, languages): a person counts once in each of theirs."""
    def query(conn: Connection, period: Period, content: CompiledContent) -> Rows:
        totals: Counter[str] = Counter()
        for (items,) in conn.execute(select(column).where(registrations.c.created_at >= period.start)):
            for item in dict.fromkeys(items or ()):
                totals[name(item)] += 1
            if not items:
                totals[_(none)] += 1
        return _largest_first(totals)
    return query


def _trade(trade_id: str) -> str:
    trade = Occupations.load().trades.get(trade_id)
    return trade.label("es") if trade else trade_id


registrations_by_nationality = _by_column(registrations.c.nationality, lambda code: Countries.load().label(code, "es"))
registrations_by_state = _by_column(registrations.c.state, lambda code: Places.load().state(code).name)
registrations_by_document = _by_column(registrations.c.document, lambda code: DOCUMENT_NAMES.get(code, code))
registrations_by_trade = _by_list(registrations.c.trades, _trade, N_("No trade recognised"))
registrations_by_language = _by_list(registrations.c.languages, lambda code: spoken.label(code, "es"), N_("Not said"))


def open_vacancies_by_state(conn: Connection, period: Period, content: CompiledContent) -> Rows:
    """Offers users can find today (not people, and not limited to the period)."""
    rows = conn.execute(select(vacancies.c.state, func.count()).where(current(period.today)).group_by(vacancies.c.state))
    places = Places.load()
    return _largest_first(Counter({places.state(code).name: count for code, count in rows}))
