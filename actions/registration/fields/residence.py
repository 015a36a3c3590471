"""Where the person lives: a state of Mexico (or a city that names one) and its municipality."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from actions.registration.fields.name import NAME_MARKS
from actions.registration.fields.refusal import Refusal, echo
from bot.nlu.countries import Countries
from bot.nlu.normalize import normalize
from bot.nlu.places import Places

_MEXICO = {"mexico", "mexique", "meksik", "mejico"}
# A town of this many people is what someone means by its name: when several states have one,
# the state is asked ("Jesús María" is not only Aguascalientes'). Smaller namesakes are not.
AMBIGUOUS_TOWN = 5_000


@dataclass(frozen=True)
class PlaceAnswer:
    state: str  # INEGI code
    municipality: str | None


def place(text: str, lang: str, places: Places, countries: Countries) -> PlaceAnswer:
    """The state (and the town, when named): the names of states.yaml, then a country named by
    mistake, then Mexico's towns ("Villaflores" is in Chiapas)."""
    found = places.parse(text, towns=False)
    if found is None:
        _not_a_country(text, lang, countries)
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
    towns = [t for t in places.towns(text) if t.population >= AMBIGUOUS_TOWN]
    states = list(dict.fromkeys(places.state(t.state).name for t in towns))
    if len(states) > 1:
        raise Refusal("reg_state_ambiguous", {"value": echo(text), "options": ", ".join(states[:4])})
    raise Refusal("reg_state_unknown", {"value": echo(text)})


def _not_a_country(text: str, lang: str, countries: Countries) -> None:
    """"México" is a country and a state; "Guatemala" is a country (and no state of Mexico)."""
    if normalize(text) in _MEXICO:
        raise Refusal("reg_state_mexico")
    country = countries.parse(text, lang).code
    if country and country != "MX":
        raise Refusal("reg_state_country", {"value": countries.label(country, lang)})


def municipality(text: str, state: str, places: Places) -> str:
    name = " ".join(text.split())
    found = places.parse(name, within=state)
    if found and found.city:
        if found.state.code != state:
            raise Refusal("reg_municipality_elsewhere", {
                "value": found.city, "other": found.state.name, "state": places.state(state).name,
            })
        return found.city
    if found and found.state.code == state and found.state.code != "09":
        raise Refusal("reg_municipality_is_state", {"state": found.state.name})
    if any(not (c.isalpha() or c in NAME_MARKS or unicodedata.category(c) == "Mn") for c in name):
        raise Refusal("reg_municipality_letters")
    if sum(1 for c in name if c.isalpha()) < 2:
        raise Refusal("reg_municipality_letters")
    return name


