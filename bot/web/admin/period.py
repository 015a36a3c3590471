"""The dashboard's period: the last 30, 90 or 365 days, drawn by day or (past 45 days) by week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
        return dt.datetime.combine(self.since, dt.time(), dt.UTC)

    def bucket(self, day: dt.date) -> str:
        """The column a day is counted in: the day, or the Monday of its week."""
        return (day - dt.timedelta(days=day.weekday())).isoformat() if self.by_week else day.isoformat()


def day_of(value: object) -> dt.date:
    """A SQL date(...) result: a date on PostgreSQL, text on SQLite."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
