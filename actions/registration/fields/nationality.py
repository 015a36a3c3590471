"""The nationality: a country named in any of the five languages."""

from __future__ import annotations

from actions.registration.fields.refusal import Refusal, echo
from bot.nlu.countries import Countries


def nationality(text: str, lang: str, countries: Countries) -> str:
    found = countries.parse(text, lang)
    if found.code:
        return found.code
    if found.candidates:
        options = ", ".join(countries.label(c, lang) for c in found.candidates)
        raise Refusal("reg_nationality_ambiguous", {"options": options})
    raise Refusal("reg_nationality_unknown", {"value": echo(text)})


