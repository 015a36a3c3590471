"""Which registrations: a period (days are Mexico City's) and a state, read from what staff type
(CLI or web admin)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.days import mexico_midnight


class BadOption(ValueError):
    """A filter staff typed that is not a date or a state; the message says what to write."""


@dataclass(frozen=True)
class ExportFilter:
    """Registrations created or changed in [since, until), in one state (INEGI code) or all."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    state: str | None = None

    def audit_detail(self) -> dict[str, str | None]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "state": self.state,
        }


def moment(text: str, *, end_of_day: bool = False) -> dt.datetime:
    """'2026-11-01' is that day's midnight in Mexico City (the next day's, for --until), the
    network's days (bot/days.py); ISO moments as given, UTC when they name no zone."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text) + dt.timedelta(days=1 if end_of_day else 0)
            return mexico_midnight(day)
        value = dt.datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        raise BadOption(f"{text[:40]!r} is not a date: write YYYY-MM-DD, e.g. 2026-11-01") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def state_code(text: str) -> str:
    from bot.nlu.places import Places

    places = Places.load()
    if text.isdigit() and text.zfill(2) in places.states:
        return text.zfill(2)
    found = places.by_name(text) or (places.parse(text).state if places.parse(text) else None)
    if found is None:
        raise BadOption(f"{text[:40]!r} is not one of the 32 states: use the INEGI code (07) or the name")
    return found.code
