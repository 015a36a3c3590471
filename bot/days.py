"""The network's days: Mexico City's calendar (the SNE's), whatever zone the server runs in.

A message at 23:30 in Mexico City is 05:30 UTC the next day; it counts on the evening's date in
the daily counters, the dashboard, the monthly report and an export "since" a day, and an offer
"expiring on the 30th" ends at midnight there. Staff read single moments in their own zone
(bot/web/admin/preferences.py); days that add up to a report are the same for everyone.
A leaf module: storage, features, actions and the admin all read it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MEXICO = ZoneInfo("America/Mexico_City")


def mexico_day(moment: dt.datetime) -> dt.date:
    """The date in Mexico City at a moment (a naive moment is UTC, as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(MEXICO).date()


def mexico_today(now: dt.datetime | None = None) -> dt.date:
    return mexico_day(now or dt.datetime.now(dt.UTC))


def mexico_midnight(day: dt.date) -> dt.datetime:
    """The moment (UTC) a day begins in Mexico City: where a period of days starts and ends."""
    return dt.datetime.combine(day, dt.time(), MEXICO).astimezone(dt.UTC)
