"""Today's date where the offers are: an offer expiring "on the 30th" ends on Mexico's 30th."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

MEXICO = ZoneInfo("America/Mexico_City")


def mexico_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(MEXICO).date()
