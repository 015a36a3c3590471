"""The needs analysis the network began with: per state and trade (a trade of the bot, or a
SINCO division), the people registered with it beside the vacancies for it, so the network
sees where skills and jobs meet and where they do not.

People are the SNE registrations made in the period (db/registrations.py: `trades`, the
trades recognised in what the person said, and `sinco`, their codes when registered); a
person with two trades counts in both. Vacancies are the offers open at any time in the
period, classified by their SINCO code and the trades their title names (the same facets the
search uses). Counts of people under K are never shown (aggregates.py): a row appears when it
has vacancies (its people then read "fewer than K", which includes none) or K people or more."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, select

from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.facets import trade_facet
from bot.web.admin.charts import K_ANONYMITY
from bot.web.admin.report_period import ReportPeriod
from db.registrations import registrations
from db.vacancies.tables import vacancies

GROUPINGS = ("division", "trade")
# SINCO 2019 (INEGI) divisions, in the catalogue's own words (the SNE's).
DIVISIONS = {
    "1": "Funcionarios, directores y jefes",
    "2": "Profesionistas y técnicos",
    "3": "Trabajadores auxiliares en actividades administrativas",
    "4": "Comerciantes, empleados en ventas y agentes de ventas",
    "5": "Trabajadores en servicios personales y de vigilancia",
    "6": "Trabajadores en actividades agrícolas, ganaderas, forestales, caza y pesca",
    "7": "Trabajadores artesanales, en la construcción y otros oficios",
    "8": "Operadores de maquinaria industrial, ensambladores, choferes y conductores de transporte",
    "9": "Trabajadores en actividades elementales y de apoyo",
}
# The group of people whose words named no trade, and of offers no trade or code classifies.
UNCLASSIFIED = ""
MEET, JOBS_ONLY, PEOPLE_ONLY = "meet", "jobs_only", "people_only"


@dataclass(frozen=True)
class NeedsRow:
    state: str
    state_name: str
    group: str
    label: str
    people: int | None  # None: fewer than K (perhaps none)
    vacancies: int

    @property
    def status(self) -> str:
        if self.people is None:
            return JOBS_ONLY
        return MEET if self.vacancies else PEOPLE_ONLY


@dataclass(frozen=True)
class Needs:
    rows: list[NeedsRow]
    # (state, group) cells with 1 to K-1 people and no vacancy: left out, only counted.
    hidden: int


def needs(conn: Connection, period: ReportPeriod, grouping: str = "division", state: str = "") -> Needs:
    occupations = Occupations.load()
    by_facet = {trade_facet(t): t for t in occupations.trades}

    registered: Counter[tuple[str, str]] = Counter()
    query = select(registrations.c.state, registrations.c.trades, registrations.c.sinco).where(
        registrations.c.created_at >= period.start, registrations.c.created_at < period.end)
    if state:
        query = query.where(registrations.c.state == state)
    for where, trades, sinco in conn.execute(query):
        if grouping == "trade":
            groups = set(trades or ())
        else:
            groups = {str(code)[:1] for code in sinco or ()} & set(DIVISIONS)
        for group in groups or {UNCLASSIFIED}:
            registered[(where, group)] += 1

    offered: Counter[tuple[str, str]] = Counter()
    query = select(vacancies.c.state, vacancies.c.sinco, vacancies.c.facets).where(
        vacancies.c.published_on <= period.last_day, vacancies.c.expires_on >= period.first_day)
    if state:
        query = query.where(vacancies.c.state == state)
    for where, code, facets in conn.execute(query):
        named = {by_facet[token] for token in (facets or "").split() if token in by_facet}
        if grouping == "trade":
            groups = named
        elif code and code[:1] in DIVISIONS:
            groups = {code[:1]}
        else:
            groups = {occupations.trades[t].division for t in named}
        for group in groups or {UNCLASSIFIED}:
            offered[(where, group)] += 1

    places = Places.load()
    label = _labeller(grouping, occupations)
    rows, hidden = [], 0
    for key in set(registered) | set(offered):
        count, jobs = registered[key], offered[key]
        # Under K, nobody and a few read the same: a row never tells that a few people are there.
        shown = count if count >= K_ANONYMITY else None
        if shown is None and not jobs:
            hidden += 1
            continue
        rows.append(NeedsRow(key[0], places.state(key[0]).name, key[1], label(key[1]), shown, jobs))
    rows.sort(key=lambda r: (r.state_name, -(r.people or 0), -r.vacancies, r.label))
    return Needs(rows, hidden)


def _labeller(grouping: str, occupations: Occupations) -> Callable[[str], str]:
    def label(group: str) -> str:
        if group == UNCLASSIFIED:
            return "—"
        if grouping == "trade":
            trade = occupations.trades.get(group)
            return trade.label("es") if trade else group
        return f"{group} · {DIVISIONS[group]}"
    return label
