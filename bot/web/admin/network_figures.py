"""The network's figures per organization for a period: people referred, registrations
completed, handoffs opened / answered / median wait for a first answer, outcomes, and the
"did this help?" answers. Counts only, never a person; the pages hide small counts
(aggregates.py).

Where each comes from:
- referred: people who first wrote in the period with the organization's code (contacts.referral);
- registrations: SNE registrations made in the period by people with that code;
- handoffs opened, answered (a first staff reply), closed with each outcome, and the ratings:
  the daily counters ("handoff", "<code>:opened|answered|closed:<outcome>") and
  ("handoff_rating", "<code>:yes|no") of HANDOFF_SCHEMA.md, which outlive delete-my-data and
  the retention of closed handoffs; "none" = no organization;
- the median wait: handoffs opened in the period and still stored, by their organization_id.

The handoff table is named here as HANDOFF_SCHEMA.md describes it (a lightweight `table()`),
so this module does not depend on the module that defines it."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, DateTime, Integer, column, func, select, table

from bot.web.admin.report_period import ReportPeriod
from db.organizations import NO_ORGANIZATION, all_organizations, organizations
from db.registrations import registrations
from db.tables import contacts, counters

NONE = NO_ORGANIZATION
OUTCOMES = ("answered", "referred", "registered", "no_reply")
RATINGS = ("yes", "no")

handoffs = table(
    "handoffs",
    column("organization_id", Integer),
    column("opened_at", DateTime(timezone=True)),
    column("first_answer_at", DateTime(timezone=True)),
)


@dataclass
class Figures:
    """One organization's figures (code NONE: people and handoffs of no organization)."""

    code: str
    name: str
    kind: str | None
    referred: int = 0
    registrations: int = 0
    opened: int = 0
    answered: int = 0
    # Minutes from a handoff's opening to its first staff reply, one per answered handoff.
    waits: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    ratings: Counter[str] = field(default_factory=Counter)

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None


def network_figures(conn: Connection, period: ReportPeriod) -> list[Figures]:
    """A row per organization (by name), then the row of no organization."""
    rows = {o.code: Figures(o.code, o.name, o.kind) for o in all_organizations(conn)}
    nobody = Figures(NONE, "", None)

    def row(code: str | None) -> Figures:
        return rows.get(code or NONE, nobody)

    in_period = (contacts.c.created_at >= period.start) & (contacts.c.created_at < period.end)
    for code, count in conn.execute(select(contacts.c.referral, func.count()).where(in_period)
                                    .group_by(contacts.c.referral)):
        row(code).referred += count
    registered = (registrations.c.created_at >= period.start) & (registrations.c.created_at < period.end)
    for code, count in conn.execute(
        select(contacts.c.referral, func.count())
        .select_from(registrations.join(contacts, contacts.c.id == registrations.c.contact_id))
        .where(registered).group_by(contacts.c.referral)
    ):
        row(code).registrations += count
    for key, count in _counted(conn, "handoff", period):
        code, _, event = key.partition(":")
        figures = row(code)
        if event == "opened":
            figures.opened += count
        elif event == "answered":
            figures.answered += count
        elif event.startswith("closed:") and event[7:] in OUTCOMES:
            figures.outcomes[event[7:]] += count
    for key, count in _counted(conn, "handoff_rating", period):
        code, _, answer = key.partition(":")
        if answer in RATINGS:
            row(code).ratings[answer] += count
    for code, opened, answered in conn.execute(
        select(organizations.c.code, handoffs.c.opened_at, handoffs.c.first_answer_at)
        .select_from(handoffs.outerjoin(organizations, organizations.c.id == handoffs.c.organization_id))
        .where(handoffs.c.opened_at >= period.start, handoffs.c.opened_at < period.end,
               handoffs.c.first_answer_at.is_not(None))
    ):
        row(code).waits.append(max(0.0, (answered - opened).total_seconds() / 60))
    return [*sorted(rows.values(), key=lambda f: f.name.lower()), nobody]


def _counted(conn: Connection, name: str, period: ReportPeriod) -> list[tuple[str, int]]:
    rows = conn.execute(
        select(counters.c.key, func.sum(counters.c.count))
        .where(counters.c.name == name, counters.c.day >= period.first_day, counters.c.day <= period.last_day)
        .group_by(counters.c.key)
    )
    return [(key, int(count)) for key, count in rows]
