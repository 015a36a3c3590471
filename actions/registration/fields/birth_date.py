"""The date of birth: a real date, not in the future, an adult of a plausible age."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from stdnum.mx import curp as curp_number

from actions.registration.fields.refusal import MAX_AGE, MIN_AGE, Refusal, age_on, echo
from bot.nlu.dates import DateError, parse_date
from bot.nlu.normalize import normalize

_RELATIVE_DAYS = {
    "hoy", "manana", "ayer", "pasado manana", "anteayer", "today", "tomorrow", "yesterday",
    "aujourd hui", "demain", "hier", "apres demain", "jodi a", "jodia", "demen", "ye", "apre demen",
    "hoje", "amanha", "ontem", "depois de amanha", "now", "ahora", "maintenant", "kounye a", "agora",
}
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{2}|\d{4})\s*$")
_INCOMPLETE = re.compile(r"^\s*(\d{1,2}\s*[/\-.]\s*\d{1,2}|\d{4})\s*$")


def birth_date(text: str, today: dt.date, lang: str, curp: str | None = None) -> str:
    words = normalize(text)
    if words in _RELATIVE_DAYS:
        raise Refusal("reg_birth_relative", {"value": echo(text)})
    try:
        born = parse_date(text, today, lang)
    except DateError as error:
        if error.reason == "impossible_date":
            raise _impossible(text) from None
        if _INCOMPLETE.match(text):
            raise Refusal("reg_birth_incomplete") from None
        raise Refusal("reg_birth_not_a_date") from None
    if born > today:
        raise Refusal("reg_birth_future")
    age = age_on(born, today)
    if age > MAX_AGE:
        raise Refusal("reg_birth_too_old", {"age": age})
    if age < MIN_AGE:
        raise Refusal("reg_birth_too_young", {"age": age})
    if curp:
        from_curp = curp_number.get_birth_date(curp)
        if from_curp != born:
            raise Refusal("reg_birth_curp_mismatch", {"value": from_curp.isoformat()})
    return born.isoformat()


def _impossible(text: str) -> Refusal:
    """'31/02/1990': February 1990 has 28 days. Say which part is wrong."""
    found = _DAY_MONTH_YEAR.match(text)
    if not found:
        return Refusal("reg_birth_impossible")
    day, month, year = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return Refusal("reg_birth_bad_month", {"month": month})
    if year < 100:
        year += 1900
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return Refusal("reg_birth_bad_day", {"day": day, "days": days})
    return Refusal("reg_birth_impossible")


