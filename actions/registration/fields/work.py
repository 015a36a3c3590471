"""Trades, years of experience and languages spoken."""

from __future__ import annotations

import re

from actions.registration.fields.refusal import MAX_AGE, Refusal
from bot.nlu.languages import SpokenLanguages
from bot.nlu.normalize import normalize
from bot.nlu.occupations import Occupations


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
