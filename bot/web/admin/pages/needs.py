"""The needs analysis: per state and trade (or SINCO division), the people registered beside
the vacancies, for a period; counts of people under K hidden. The same table as a CSV (in
the audit log: period, grouping, state, rows)."""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response
from starlette.routing import Route

from bot.days import mexico_day
from bot.nlu.places import Places
from bot.web.admin.aggregates import cell, csv_download
from bot.web.admin.charts import K_ANONYMITY
from bot.web.admin.needs_analysis import GROUPINGS, JOBS_ONLY, MEET, PEOPLE_ONLY, needs
from bot.web.admin.report_period import DAYS, ReportPeriod, choose, months
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_
from db import audit

NAV = [NavItem(N_("Needs"), "/admin/needs", "network")]
STATUS_NAMES = {MEET: N_("skills and jobs meet"), JOBS_ONLY: N_("jobs, few or no people registered"),
                PEOPLE_ONLY: N_("people registered, no vacancy")}
GROUPING_NAMES = {"division": N_("SINCO division"), "trade": N_("Trade")}
assert set(GROUPING_NAMES) == set(GROUPINGS)
CSV_HEADER = ("period_start", "period_end", "state_code", "state", "grouping", "group_code", "group",
              "people_registered", "vacancies_open", "status")


def routes(admin: Admin) -> list[Route]:
    def choices(visit: Visit) -> tuple[ReportPeriod, dt.date, str, str]:
        params = visit.request.query_params
        today = mexico_day(admin.clock())
        grouping = params.get("by", "")
        state = params.get("state", "")[:2]
        return (choose(params.get("period", "")[:10], today), today,
                grouping if grouping in GROUPINGS else GROUPINGS[0],
                state if state in Places.load().states else "")

    async def needs_page(visit: Visit) -> Response:
        period, today, grouping, state = choices(visit)
        with admin.db.transaction() as conn:
            found = needs(conn, period, grouping, state)
        summary = {status: sum(1 for row in found.rows if row.status == status) for status in STATUS_NAMES}
        states = sorted(((code, s.name) for code, s in Places.load().states.items()), key=lambda item: item[1])
        return admin.render(visit, "needs.html", found=found, summary=summary, period=period, days=DAYS,
                            months=months(today), grouping=grouping, groupings=GROUPING_NAMES, state=state,
                            states=states, statuses=STATUS_NAMES, k=K_ANONYMITY)

    async def needs_csv(visit: Visit) -> Response:
        period, _today, grouping, state = choices(visit)
        with admin.db.transaction() as conn:
            found = needs(conn, period, grouping, state)
            audit.record(conn, visit.actor, "needs.export",
                         {"period": period.key, "since": period.first_day.isoformat(),
                          "until": period.last_day.isoformat(), "by": grouping, "state": state or None,
                          "rows": len(found.rows)}, at=admin.clock())
        rows = [[period.first_day.isoformat(), period.last_day.isoformat(), row.state, row.state_name, grouping,
                 row.group, row.label, cell(row.people), row.vacancies, row.status] for row in found.rows]
        return csv_download(f"puente-needs-{grouping}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv",
                            CSV_HEADER, rows)

    return [
        admin.route("/needs", needs_page, "network"),
        admin.route("/needs.csv", needs_csv, "network"),
    ]
