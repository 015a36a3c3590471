"""The needs-analysis dashboard: every panel of panels.PANELS, small groups suppressed."""

from __future__ import annotations

import datetime as dt

from starlette.responses import Response
from starlette.routing import Route

from bot.days import mexico_day
from bot.web.admin import charts
from bot.web.admin.panels import PANELS, Period
from bot.web.admin.preferences import number
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_, _

NAV = [NavItem(N_("Dashboard"), "/admin", "dashboard")]
PERIODS = (30, 90, 365)


def routes(admin: Admin) -> list[Route]:
    async def dashboard(visit: Visit) -> Response:
        raw = visit.request.query_params.get("days", "30")
        days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
        today = mexico_day(admin.clock())
        period = Period(today - dt.timedelta(days=days - 1), days)
        content = admin.app.live.content
        drawn = []
        with admin.db.transaction() as conn:
            for panel in PANELS:
                if not visit.can(panel.permission):
                    continue
                rows = panel.query(conn, period, content)
                series = charts.suppress(rows) if panel.people else charts.Series(rows)
                draw = charts.columns if panel.kind == "columns" else charts.bars
                title = _(panel.weekly_title if period.by_week and panel.weekly_title else panel.title)
                unit = _(panel.unit)
                drawn.append({"panel": panel, "title": title, "explanation": _(panel.explanation), "unit": unit,
                              "series": series, "svg": draw(series, title, unit, number)})
        return admin.render(visit, "dashboard.html", panels=drawn, days=days, periods=PERIODS,
                            k=charts.K_ANONYMITY, since=period.since)

    return [admin.route("", dashboard, "dashboard"), admin.route("/", dashboard, "dashboard")]
