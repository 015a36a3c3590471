"""Reading a date typed in any reasonable way: 27/04/1990, 1990-04-27, 27 de abril de 1990, 27 avril 1990."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel import Locale

from bot.nlu.normalize import normalize

_NUMERIC = re.compile(r"^\s*(\d{1,4})\s*[/\-.\s]\s*(\d{1,2})\s*[/\-.\s]\s*(\d{1,4})\s*$")
_HT_MONTHS = (
    "janvye", "fevriye", "mas", "avril", "me", "jen",
    "jiyè", "out", "septanm", "oktòb", "novanm", "desanm",
)
_FILLERS = {"de", "del", "of", "the", "th", "st", "nd", "rd", "le", "en"}


class DateError(ValueError):
    """Why a text is not a usable date: 'not_a_date' or 'impossible_date'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _language_months(code: str) -> dict[str, int]:
    if code == "ht":
        return {normalize(name): number for number, name in enumerate(_HT_MONTHS, start=1)}
    words: dict[str, int] = {}
    locale = Locale.parse(code)
    for width in ("wide", "abbreviated"):
        for number, name in locale.months["format"][width].items():
            words[normalize(name)] = number
    if code == "es":
        words["setiembre"] = 9
    return words


@lru_cache(maxsize=8)
def _month_words(lang: str) -> dict[str, int]:
    """Month names of every language, the reader's own winning ("out" is August in Creole)."""
    words: dict[str, int] = {}
    for code in ("es", "fr", "en", "pt", "ht"):
        if code != lang:
            words.update(_language_months(code))
    words.update(_language_months(lang) if lang in ("es", "fr", "en", "pt", "ht") else {})
    return words


def _full_year(year: int, today: dt.date) -> int:
    if year >= 100:
        return year
    century = today.year // 100 * 100
    return century + year if century + year <= today.year else century - 100 + year


def _build(year: int, month: int, day: int, today: dt.date) -> dt.date:
    try:
        return dt.date(_full_year(year, today), month, day)
    except ValueError:
        raise DateError("impossible_date") from None


def parse_date(text: str, today: dt.date, lang: str = "es") -> dt.date:
    """Day-first like Mexico writes it; ISO year-first too. Raises DateError."""
    numeric = _NUMERIC.match(text)
    if numeric:
        a, b, c = (int(g) for g in numeric.groups())
        if len(numeric.group(1)) == 4:
            return _build(a, b, c, today)
        if len(numeric.group(3)) in (2, 4):
            if b > 12 and a <= 12:  # 04/27/1990: an American order is unambiguous here
                a, b = b, a
            return _build(c, b, a, today)
        raise DateError("not_a_date")
    words = [w for w in normalize(text).split() if w not in _FILLERS]
    numbers = [w for w in words if w.isdigit()]
    names = _month_words(lang)
    months = [names[w] for w in words if w in names]
    if len(numbers) == 2 and len(months) == 1 and len(words) == 3:
        day, year = (int(n) for n in numbers)
        if day > 31 and year <= 31:
            day, year = year, day
        if len(str(year)) not in (2, 4):
            raise DateError("not_a_date")
        return _build(year, months[0], day, today)
    raise DateError("not_a_date")
