"""Reading and checking each answer of the SNE registration form: pure functions, no I/O.

Each function returns the value to keep, or raises Refusal naming the response (in
dialogs/registration.yaml) that explains what is wrong, so the user reads it in their language.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from stdnum import exceptions as stdnum_errors
from stdnum.mx import curp as curp_number

from bot.nlu.countries import Countries
from bot.nlu.dates import DateError, parse_date
from bot.nlu.languages import SpokenLanguages
from bot.nlu.normalize import normalize
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places

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


# -- name -----------------------------------------------------------------------------------

_NAME_MARKS = set(" .'-’")


_PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "e", "van", "von", "du", "des"}
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _capitalised(name: str) -> str:
    """'MARÍA DE LA CRUZ' -> 'María de la Cruz', 'jean-baptiste' -> 'Jean-Baptiste'."""
    words = []
    for index, word in enumerate(name.split()):
        if index and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append(_LETTER_RUN.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), word))
    return " ".join(words)


def full_name(text: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if any(c.isdigit() for c in name):
        raise Refusal("reg_name_digits")
    if any(not (c.isalpha() or c in _NAME_MARKS or unicodedata.category(c) == "Mn") for c in name):
        raise Refusal("reg_name_symbols")
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    if sum(1 for c in name if c.isalpha()) < 4 or not words:
        raise Refusal("reg_name_short")
    if len(words) < 2:
        raise Refusal("reg_name_surname")
    if name.isupper() or name.islower():
        name = _capitalised(name)  # all in capitals or in small letters: written the usual way
    return name


# -- date of birth ----------------------------------------------------------------------------

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


# -- CURP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurpAnswer:
    curp: str
    # The birth date the CURP encodes, when it differs from the one given before.
    corrected_birth_date: str | None = None


def curp(text: str, today: dt.date, birth: str | None = None) -> CurpAnswer:
    number = curp_number.compact(text)
    if not number.isalnum() or not number.isascii():
        raise Refusal("reg_curp_format")
    try:
        curp_number.validate(number)
    except stdnum_errors.InvalidLength:
        raise Refusal("reg_curp_length", {"count": len(number)}) from None
    except stdnum_errors.InvalidChecksum:
        raise Refusal("reg_curp_checksum") from None
    except stdnum_errors.InvalidComponent:
        raise Refusal("reg_curp_component") from None
    except stdnum_errors.ValidationError:
        raise Refusal("reg_curp_format") from None
    born = curp_number.get_birth_date(number)
    if age_on(born, today) < MIN_AGE:
        raise Refusal("reg_curp_minor")
    if birth and born.isoformat() != birth:
        return CurpAnswer(number, born.isoformat())
    return CurpAnswer(number)


# -- phone ------------------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"^[\d\s()+.\-]+$")


def phone(text: str) -> str:
    """A phone number in E.164 ('+525512345678'); Mexican numbers may be written nationally."""
    raw = text.strip().removeprefix("whatsapp:")
    if any(c.isalpha() for c in raw):
        raise Refusal("reg_phone_letters")
    if not _PHONE_CHARS.match(raw):
        raise Refusal("reg_phone_symbols")
    digits = re.sub(r"\D", "", raw)
    international = raw.lstrip().startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if not international:
        # Old Mexican prefixes: 044/045 (mobile), 01 (long distance), 1 (mobile from abroad).
        for prefix, length in (("044", 13), ("045", 13), ("01", 12), ("1", 11)):
            if digits.startswith(prefix) and len(digits) == length:
                digits = digits[len(prefix):]
        if len(digits) != 10:
            raise Refusal("reg_phone_length", {"count": len(digits)})
        digits = "52" + digits
    if digits.startswith("521") and len(digits) == 13:
        digits = "52" + digits[3:]  # some WhatsApp stacks still report Mexican mobiles as +52 1
    try:
        number = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        raise Refusal("reg_phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise Refusal("reg_phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_label(e164: str) -> str:
    """'+525512345678' -> '+52 55 1234 5678', as people read it."""
    number = phonenumbers.parse(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# -- nationality ------------------------------------------------------------------------------


def nationality(text: str, lang: str, countries: Countries) -> str:
    found = countries.parse(text, lang)
    if found.code:
        return found.code
    if found.candidates:
        options = ", ".join(countries.label(c, lang) for c in found.candidates)
        raise Refusal("reg_nationality_ambiguous", {"options": options})
    raise Refusal("reg_nationality_unknown", {"value": echo(text)})


# -- where they live --------------------------------------------------------------------------

_MEXICO = {"mexico", "mexique", "meksik", "mejico"}


@dataclass(frozen=True)
class PlaceAnswer:
    state: str  # INEGI code
    municipality: str | None


def place(text: str, lang: str, places: Places, countries: Countries) -> PlaceAnswer:
    found = places.parse(text)
    if found is None and text.count(",") == 1:
        # "Tuxtla Chico, Chiapas": a town our list does not have, in a state it does.
        first, second = (part.strip() for part in text.split(","))
        for town, state_name in ((first, second), (second, first)):
            state = places.parse(state_name)
            if state and state.city is None and town:
                try:
                    return PlaceAnswer(state.state.code, municipality(town, state.state.code, places))
                except Refusal:
                    break
    found = found or places.find(text)
    if found:
        return PlaceAnswer(found.state.code, found.city)
    if normalize(text) in _MEXICO:
        raise Refusal("reg_state_mexico")
    country = countries.parse(text, lang).code
    if country and country != "MX":
        raise Refusal("reg_state_country", {"value": countries.label(country, lang)})
    raise Refusal("reg_state_unknown", {"value": echo(text)})


def municipality(text: str, state: str, places: Places) -> str:
    name = " ".join(text.split())
    found = places.parse(name)
    if found and found.city:
        if found.state.code != state:
            raise Refusal("reg_municipality_elsewhere", {
                "value": found.city, "other": found.state.name, "state": places.state(state).name,
            })
        return found.city
    if found and found.state.code == state and found.state.code != "09":
        raise Refusal("reg_municipality_is_state", {"state": found.state.name})
    if any(not (c.isalpha() or c in _NAME_MARKS or unicodedata.category(c) == "Mn") for c in name):
        raise Refusal("reg_municipality_letters")
    if sum(1 for c in name if c.isalpha()) < 2:
        raise Refusal("reg_municipality_letters")
    return name


# -- work -------------------------------------------------------------------------------------


def trades(text: str, lang: str, occupations: Occupations) -> list[str]:
    """Trade ids named in the text, in order; empty when none is recognised."""
    ids: list[str] = []
    for match in occupations.find_all(text, lang):
        if match.trade.id not in ids:
            ids.append(match.trade.id)
    return ids


_NO_EXPERIENCE = {
    "ninguna", "ninguno", "nada", "cero", "no", "none", "no experience", "nothing", "zero",
    "aucune", "aucun", "rien", "pa genyen", "okenn", "anyen", "nenhuma", "nenhum", "nada",
    "menos de un ano", "less than a year", "moins d un an", "mwens pase yon ane", "menos de um ano",
}
_MONTHS = {"mes", "meses", "month", "months", "mois", "mwa", "mes", "meses"}
_NUMBER_AND_UNIT = re.compile(r"(\d{1,3})(?:[.,]\d+)?\s*([a-z]*)")


def experience(text: str, age: int | None) -> int:
    """Whole years of experience: '5 años' -> 5, '8 meses' -> 0, 'ninguna' -> 0."""
    words = normalize(text)
    if words in _NO_EXPERIENCE:
        return 0
    found = _NUMBER_AND_UNIT.search(words)
    if not found:
        raise Refusal("reg_experience_number")
    years = int(found.group(1))
    if found.group(2) in _MONTHS:
        years //= 12
    if years > (age if age is not None else MAX_AGE):
        raise Refusal("reg_experience_too_many")
    return years


def languages(text: str, spoken: SpokenLanguages) -> list[str]:
    codes = spoken.find(text)
    if not codes:
        raise Refusal("reg_languages_unknown")
    return codes
