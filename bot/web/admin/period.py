"""The dashboard's period: the last 30, 90 or 365 days, drawn by day or (past 45 days) by week.

Days are Mexico City's (bot/days.py): a period starts at midnight there, and a row stored at
05:30 UTC on the 1st is counted on the 30th where it was written at 23:30."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from bot.days import mexico_day, mexico_midnight


@dataclass(frozen=True)
class Period:
    since: dt.date
    days: int

    @property
    def by_week(self) -> bool:
        return self.days > 45

    @property
    def today(self) -> dt.date:
        return self.since + dt.timedelta(days=self.days - 1)

    @property
    def start(self) -> dt.datetime:
        """The first moment of the period (UTC): midnight of its first day in Mexico City."""
        return mexico_midnight(self.since)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period."""
        return mexico_midnight(self.since + dt.timedelta(days=self.days))

    def bucket(self, day: dt.date) -> str:
        """The column a day is counted in: the day, or the Monday of its week."""
        return (day - dt.timedelta(days=day.weekday())).isoformat() if self.by_week else day.isoformat()


def per_day(conn: Connection, moment: Any, period: Period) -> Counter[dt.date]:
    """Rows per Mexico City day of a stored moment, within the period. Grouped by UTC hour in SQL
    (at most 24 groups a day on both backends), then each hour is given its day here: right for
    any zone and any change of its offset, which SQL's date() in UTC is not."""
    hour = (func.date_trunc("hour", moment) if conn.dialect.name == "postgresql"
            else func.strftime("%Y-%m-%d %H:00:00", moment))
    rows = conn.execute(select(hour, func.count()).where(moment >= period.start, moment < period.end).group_by(hour))
    found: Counter[dt.date] = Counter()
    for value, count in rows:
        found[mexico_day(value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value))] += count
    return found
