"""What every field check shares: the refusal that names the explanation, the echo of a wrong answer, ages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

MIN_AGE = 18  # Programa de Apoyo al Empleo: job seekers are 18 or older
MAX_AGE = 100
ECHO_CHARS = 40  # how much of a wrong answer is quoted back to the user


@dataclass
class Refusal(Exception):
    """An answer that cannot be kept; `response` explains why, with `values` filled in."""

    response: str
    values: dict[str, Any] = field(default_factory=dict)


def echo(text: str) -> str:
    """A wrong answer quoted back: short, single line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= ECHO_CHARS else flat[: ECHO_CHARS - 1] + "…"


def age_on(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


