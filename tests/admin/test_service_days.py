"""The network's days are Mexico City's days (the SNE's): a message at 23:30 in Mexico City counts
on that evening's date, not on the next day's, wherever the server's clock runs (UTC) and on both
backends: in the daily counters a turn writes, on the dashboard, in the monthly report and in the
registrations exported for a day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.app import App
from db.tables import counters
from tests.admin.test_network_figures import arrive, cells
from tests.support.chat import Chat

# 23:30 on 30 November in Mexico City (UTC-6) is already 1 December in UTC.
LATE_ON_THE_30TH = dt.datetime(2026, 12, 1, 5, 30, tzinfo=dt.UTC)
EARLY_ON_THE_1ST = dt.datetime(2026, 12, 1, 6, 30, tzinfo=dt.UTC)  # 00:30 on 1 December there


def test_a_turn_late_in_the_evening_counts_on_that_days_date(app: App, chat: Chat) -> None:
    chat.clock.now = LATE_ON_THE_30TH.timestamp()
    chat.say("el patron no me pago dos semanas")
    with app.db.transaction() as conn:
        days = set(conn.execute(select(counters.c.day)).scalars())
    assert days == {dt.date(2026, 11, 30)}


def test_the_dashboard_draws_mexico_citys_days(app: App, admin_site, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin_site.clock = lambda: LATE_ON_THE_30TH
    arrive(app, None, 6, LATE_ON_THE_30TH - dt.timedelta(hours=4))  # 19:30 there, 01:30 UTC on the 1st
    arrive(app, None, 5, LATE_ON_THE_30TH - dt.timedelta(hours=7))  # 16:30 there, 22:30 UTC on the 30th
    page = staff_of("viewer").get("/admin").text
    over_time = page.split('id="panel-contacts_time"')[1].split("</section>")[0]
    assert "2026-11-30: 11 people" in over_time
    assert "2026-12-01" not in over_time  # not yet the 1st where the network works


def test_the_monthly_report_ends_at_midnight_in_mexico_city(app: App, admin_site, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin_site.clock = lambda: dt.datetime(2026, 12, 15, 18, 0, tzinfo=dt.UTC)
    with app.db.transaction() as conn:
        from db import organizations
        organizations.add(conn, "casa", "Casa Tochan", "shelter", LATE_ON_THE_30TH)
    arrive(app, "casa", 5, LATE_ON_THE_30TH, register=True)  # November, there
    arrive(app, "casa", 6, EARLY_ON_THE_1ST, register=True)  # December
    viewer = staff_of("viewer")
    assert cells(viewer.get("/admin/network?period=2026-11").text, "Casa Tochan")[:2] == ["5", "5"]
    assert cells(viewer.get("/admin/network?period=2026-12").text, "Casa Tochan")[:2] == ["6", "6"]
