"""The network's figures per organization for a period, k-anonymous like the dashboard (a
count of 1 to 4 people is never shown), and the same table as a CSV for the network's monthly
report (in the audit log: which period, how many rows; no personal data is in it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from bot.days import mexico_day
from bot.web.admin.aggregates import cell, csv_download, people
from bot.web.admin.charts import K_ANONYMITY
from bot.web.admin.network_figures import NONE, OUTCOMES, Figures, network_figures
from bot.web.admin.pages.organizations import KIND_NAMES
from bot.web.admin.report_period import DAYS, ReportPeriod, choose, months
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_
from db import audit

NAV = [NavItem(N_("Network"), "/admin/network", "network")]
OUTCOME_NAMES = {"answered": N_("answered"), "referred": N_("referred elsewhere"),
                 "registered": N_("registered"), "no_reply": N_("no reply")}
assert set(OUTCOME_NAMES) == set(OUTCOMES)
CSV_HEADER = (
    "period_start", "period_end", "organization_code", "organization", "kind", "people_referred",
    "registrations", "handoffs_opened", "handoffs_answered", "median_minutes_to_first_answer",
    *(f"closed_{outcome}" for outcome in OUTCOMES), "helped_yes", "helped_no",
)


def cells(figures: Figures) -> dict[str, Any]:
    """What may be shown of one row: counts of people under K become None; the median only
    over K answered handoffs or more ("" when there is none)."""
    waits = len(figures.waits)
    median = figures.median_wait
    return {
        "referred": people(figures.referred), "registrations": people(figures.registrations),
        "opened": people(figures.opened), "answered": people(figures.answered),
        "median": "" if median is None else (round(median, 1) if waits >= K_ANONYMITY else None),
        "outcomes": {outcome: people(figures.outcomes[outcome]) for outcome in OUTCOMES},
        "yes": people(figures.ratings["yes"]), "no": people(figures.ratings["no"]),
    }


def csv_row(period: ReportPeriod, figures: Figures) -> list[object]:
    shown = cells(figures)
    median = shown["median"]
    return [
        period.first_day.isoformat(), period.last_day.isoformat(), figures.code, figures.name, figures.kind or "",
        cell(shown["referred"]), cell(shown["registrations"]), cell(shown["opened"]), cell(shown["answered"]),
        cell(median) if median != "" else "",
        *(cell(shown["outcomes"][outcome]) for outcome in OUTCOMES), cell(shown["yes"]), cell(shown["no"]),
    ]


def routes(admin: Admin) -> list[Route]:
    def period_of(visit: Visit) -> tuple[ReportPeriod, dt.date]:
        today = mexico_day(admin.clock())
        return choose(visit.request.query_params.get("period", "")[:10], today), today

    async def network_page(visit: Visit) -> Response:
        period, today = period_of(visit)
        with admin.db.transaction() as conn:
            found = network_figures(conn, period)
        rows = [(figures, cells(figures)) for figures in found]
        return admin.render(visit, "network.html", rows=rows, period=period, days=DAYS, months=months(today),
                            kinds=KIND_NAMES, outcomes=OUTCOME_NAMES, k=K_ANONYMITY, no_org=NONE)

    async def network_csv(visit: Visit) -> Response:
        period, _today = period_of(visit)
        with admin.db.transaction() as conn:
            found = network_figures(conn, period)
            audit.record(conn, visit.actor, "network.export",
                         {"period": period.key, "since": period.first_day.isoformat(),
                          "until": period.last_day.isoformat(), "rows": len(found)}, at=admin.clock())
        return csv_download(f"puente-network-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv", CSV_HEADER,
                            [csv_row(period, figures) for figures in found])

    return [
        admin.route("/network", network_page, "network"),
        admin.route("/network.csv", network_csv, "network"),
    ]
