"""Reading one sentence as a job search, in five languages (no database)."""

from __future__ import annotations

import pytest

from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.request import read_request
from bot.vacancies.spec import SearchSpec, describe


def read(sentence: str, lang: str) -> SearchSpec:
    return read_request(sentence, lang, Occupations.load(), Places.load())


@pytest.mark.parametrize(("lang", "sentence", "trades", "state", "city"), [
    ("es", "albañil en Monterrey", ("construction",), "19", "Monterrey"),
    ("es", "Busco trabajo de ALBANIL en monterey!!", ("construction",), "19", "Monterrey"),
    ("ht", "travay konstriksyon Tijuana", ("construction",), "02", "Tijuana"),
    ("fr", "je cherche un emploi de cuisinière à Guadalajara", ("cooking",), "14", "Guadalajara"),
    ("en", "cook in Guadalajara", ("cooking",), "14", "Guadalajara"),
    ("pt", "cozinheiro Cancún", ("cooking",), "23", "Cancún"),
    ("es", "mesero o cocinero en Playa del Carmen", ("waiter", "cooking"), "23", "Playa del Carmen"),
    ("en", "jobs in CDMX", (), "09", None),
])
def test_trade_and_place(lang: str, sentence: str, trades: tuple, state: str, city: str | None) -> None:
    spec = read(sentence, lang)
    assert (spec.trades, spec.state, spec.city, spec.words) == (trades, state, city, ())


def test_everyday_words_are_not_state_abbreviations() -> None:
    spec = read("trabajo sin experiencia en Tapachula", "es")
    assert (spec.state, spec.words) == ("07", ("experiencia",))
    assert read("quiero ver vacantes", "es").is_empty  # "ver" is not Veracruz


def test_other_words_are_kept_and_filler_is_not() -> None:
    assert read("cocinero turno de noche", "es").words == ("turno", "noche")
    assert read("busco trabajo por favor", "es").is_empty
    pasted = read("🙂 " * 50 + "albañil " * 2000, "es")  # a 16,000-character paste
    assert pasted.trades == ("construction",) and pasted.words == ()


def test_a_tampered_slot_gives_only_what_is_valid() -> None:
    spec = SearchSpec.from_json({"trades": ["cooking", "astronaut"], "state": "99", "document": "passport",
                                 "division": "7; DROP", "words": ["a"] * 20}, Occupations.load())
    assert spec == SearchSpec(trades=("cooking",), words=("a",) * 4)
    assert SearchSpec.from_json("nonsense").is_empty


def test_a_search_is_named_in_the_readers_language() -> None:
    spec = SearchSpec(trades=("construction",), state="19", city="Monterrey")
    names = {lang: describe(spec, lang, Occupations.load(), Places.load()) for lang in ("es", "ht", "fr", "en", "pt")}
    assert names == {"es": "Albañil · Monterrey, Nuevo León", "ht": "Mason · Monterrey, Nuevo León",
                     "fr": "Maçon · Monterrey, Nuevo León", "en": "Construction worker · Monterrey, Nuevo León",
                     "pt": "Pedreiro · Monterrey, Nuevo León"}
