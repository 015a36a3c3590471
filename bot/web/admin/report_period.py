"""The period of the network's figures and needs analysis: the last 30, 90 or 365 days, or a
calendar month (the network's monthly report), chosen with ?period=30 or ?period=2026-11."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from bot.web.admin.period import Period

DAYS = (30, 90, 365)
MONTHS_OFFERED = 12
DEFAULT = "30"
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class ReportPeriod:
    key: str  # what ?period= says: "30" or "2026-11"
    period: Period

    @property
    def start(self) -> dt.datetime:
        return self.period.start

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        return self.period.end

    @property
    def first_day(self) -> dt.date:
        return self.period.since

    @property
    def last_day(self) -> dt.date:
        return self.period.today


def months(today: dt.date, count: int = MONTHS_OFFERED) -> list[str]:
    """This month and the ones before it, newest first ("2026-12", "2026-11", ...)."""
    found, year, month = [], today.year, today.month
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found


def choose(raw: str, today: dt.date) -> ReportPeriod:
    """The period asked for; anything else (a typo, a month too old or to come) is the default."""
    if raw.isdigit() and int(raw) in DAYS:
        days = int(raw)
        return ReportPeriod(raw, Period(today - dt.timedelta(days=days - 1), days))
    found = _MONTH.fullmatch(raw)
    if found and raw in months(today):
        year, month = int(found[1]), int(found[2])
        return ReportPeriod(raw, Period(dt.date(year, month, 1), calendar.monthrange(year, month)[1]))
    return choose(DEFAULT, today)
