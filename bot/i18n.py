"""Languages, language negotiation and locale-aware formatting of dates, numbers and money (MXN)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import phonenumbers
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from bot.languages import LANGUAGES

# Babel locale used to format each shipped language. Mexico is where the money is, but a
# reader's number format is their own (315,04 in French and Portuguese, 315.04 in English).
FORMAT_LOCALES: dict[str, str] = {
    "es": "es_MX",
    "ht": "ht_HT",
    "fr": "fr_FR",
    "en": "en_US",
    "pt": "pt_BR",
}

# Babel's Haitian Creole data has French month names; these are Creole (native review wanted).
_HT_MONTHS = (
    "janvye", "fevriye", "mas", "avril", "me", "jen",
    "jiyè", "out", "septanm", "oktòb", "novanm", "desanm",
)

# Calling codes where one of our languages is the likely first language of a migrant.
_COUNTRY_LANGUAGE: dict[str, str] = {
    "HT": "ht",
    "BR": "pt", "AO": "pt", "MZ": "pt", "PT": "pt", "CV": "pt",
    "FR": "fr", "SN": "fr", "CM": "fr", "CD": "fr", "CG": "fr", "CI": "fr", "GN": "fr",
    "BF": "fr", "ML": "fr", "NE": "fr", "TG": "fr", "BJ": "fr", "GA": "fr", "BE": "fr",
    "US": "en", "GB": "en", "GH": "en", "NG": "en", "JM": "en", "BZ": "en", "GY": "en",
    "TT": "en", "IN": "en", "BD": "en", "NP": "en", "PK": "en", "KE": "en",
}


def language_name(code: str) -> str:
    """The language's own name ("Kreyòl ayisyen", "Français"), as its readers write it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def suggest_language(hint: str | None = None, phone: str | None = None) -> str | None:
    """A first guess from Telegram's language_code ("pt-br") or a phone number ("+509...")."""
    if hint:
        base = hint.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    if phone:
        number = phone.removeprefix("whatsapp:")
        try:
            parsed = phonenumbers.parse(number if number.startswith("+") else "+" + number)
        except phonenumbers.NumberParseException:
            return None
        region = phonenumbers.region_code_for_number(parsed)
        if region in _COUNTRY_LANGUAGE:
            return _COUNTRY_LANGUAGE[region]
    return None


@lru_cache(maxsize=16)
def _locale(lang: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(lang, lang))


class Formatter:
    """Pure formatting in a reader's locale; the engine gets one injected."""

    def money(self, amount: float | Decimal, lang: str) -> str:
        return format_currency(Decimal(str(amount)), "MXN", locale=_locale(lang))

    def number(self, value: float | int | Decimal, lang: str) -> str:
        return format_decimal(value, locale=_locale(lang))

    def date(self, value: dt.date | str, lang: str) -> str:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        if lang == "ht":
            return f"{day.day} {_HT_MONTHS[day.month - 1]} {day.year}"
        return format_date(day, "long", locale=_locale(lang))

    def format(self, value: object, spec: str | None, lang: str) -> str:
        if spec == "money":
            return self.money(value, lang)  # type: ignore[arg-type]
        if spec == "number":
            return self.number(value, lang)  # type: ignore[arg-type]
        if spec == "date":
            return self.date(value, lang)  # type: ignore[arg-type]
        return str(value)
