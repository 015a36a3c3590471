"""Each answer of the registration form: what is kept, and which explanation a wrong one gets."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.registration import fields
from bot.nlu.countries import Countries
from bot.nlu.languages import spoken_languages
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places

TODAY = dt.date(2026, 11, 25)


def refusal(call, *args) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    with pytest.raises(fields.Refusal) as raised:
        call(*args)
    return raised.value.response, raised.value.values


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Ana Pérez Gómez", "Ana Pérez Gómez"),
        ("  ana   pérez  ", "Ana Pérez"),
        ("JEAN-BAPTISTE Wilnor", "JEAN-BAPTISTE Wilnor"),
        ("WILNOR JEAN-BAPTISTE", "Wilnor Jean-Baptiste"),
        ("MARÍA DE LA CRUZ", "María de la Cruz"),
        ("o'neill ryan", "O'Neill Ryan"),
        ("Ma. José O'Neill", "Ma. José O'Neill"),
        ("Nguyễn Thị Lan", "Nguyễn Thị Lan"),
    ],
)
def test_names_kept(text: str, kept: str) -> None:
    assert fields.full_name(text) == kept


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("Ana3 Pérez", "reg_name_digits"),
        ("Ana 😀 Pérez", "reg_name_symbols"),
        ("=HYPERLINK(x) Pérez", "reg_name_symbols"),
        ("Al", "reg_name_short"),
        ("Anabel", "reg_name_surname"),
    ],
)
def test_names_refused(text: str, response: str) -> None:
    assert refusal(fields.full_name, text)[0] == response


@pytest.mark.parametrize(
    ("text", "lang", "iso"),
    [
        ("27/04/1990", "es", "1990-04-27"),
        ("27-4-90", "es", "1990-04-27"),
        ("1990-04-27", "en", "1990-04-27"),
        ("27 de abril de 1990", "es", "1990-04-27"),
        ("27 jiyè 1990", "ht", "1990-07-27"),
        ("29/02/1992", "fr", "1992-02-29"),
        ("10/13/1990", "en", "1990-10-13"),  # month first is unambiguous here
    ],
)
def test_birth_dates_kept(text: str, lang: str, iso: str) -> None:
    assert fields.birth_date(text, TODAY, lang) == iso


@pytest.mark.parametrize(
    ("text", "response", "values"),
    [
        ("31/02/1990", "reg_birth_bad_day", {"day": 31, "days": 28}),
        ("29/02/1991", "reg_birth_bad_day", {"day": 29, "days": 28}),
        ("31/04/1990", "reg_birth_bad_day", {"day": 31, "days": 30}),
        ("14/13/1990", "reg_birth_bad_month", {"month": 13}),
        ("mañana", "reg_birth_relative", {"value": "mañana"}),
        ("Demain", "reg_birth_relative", {"value": "Demain"}),
        ("hoy", "reg_birth_relative", {"value": "hoy"}),
        ("1990", "reg_birth_incomplete", {}),
        ("27/04", "reg_birth_incomplete", {}),
        ("cuando era niña", "reg_birth_not_a_date", {}),
        ("01/01/2030", "reg_birth_future", {}),
        ("01/01/1900", "reg_birth_too_old", {"age": 126}),
        ("26/11/2008", "reg_birth_too_young", {"age": 17}),
    ],
)
def test_birth_dates_refused(text: str, response: str, values: dict) -> None:
    assert refusal(fields.birth_date, text, TODAY, "es") == (response, values)


def test_eighteen_today_is_old_enough() -> None:
    assert fields.birth_date("25/11/2008", TODAY, "es") == "2008-11-25"


def test_a_birth_date_must_agree_with_the_curp() -> None:
    assert refusal(fields.birth_date, "27/04/1990", TODAY, "es", "HEGG560427MVZRRL04") == (
        "reg_birth_curp_mismatch", {"value": "1956-04-27"},
    )
    assert fields.birth_date("27/04/1956", TODAY, "es", "HEGG560427MVZRRL04") == "1956-04-27"


@pytest.mark.parametrize(
    "text", ["BEML920313HMCLNS09", "beml920313hmclns09", " beml 920313 hmclns09 ", "BEML-920313-HMCLNS09"]
)
def test_curp_lowercase_spaces_and_dashes(text: str) -> None:
    assert fields.curp(text, TODAY, "1992-03-13") == fields.CurpAnswer("BEML920313HMCLNS09")


@pytest.mark.parametrize(
    "text", ["HEGG560427MVZRRL04", "hegg560427mvzrrl04", " hegg 560427 mvzrrl04 ", "HEGG-560427-MVZRRL04"]
)
def test_the_sample_curp_of_the_question_is_refused_however_written(text: str) -> None:
    # Valid in every other respect, and its birth date even matches: still not the person's.
    with pytest.raises(fields.Refusal) as refused:
        fields.curp(text, TODAY, "1956-04-27")
    assert refused.value.response == "reg_curp_sample"


def test_a_curp_with_another_birth_date_is_a_question_not_a_correction() -> None:
    answer = fields.curp("BEML920313HMCLNS09", TODAY, "1990-04-27")
    assert answer == fields.CurpAnswer("BEML920313HMCLNS09", conflicting_birth_date="1992-03-13")


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("HEGG560427MVZRRL05", "reg_curp_checksum"),
        ("HEGG56", "reg_curp_length"),
        ("HEGG560427MVZRRL04X", "reg_curp_length"),
        ("1234567890ABCDEFGH", "reg_curp_format"),
        ("HEGG56042😀MVZRRL0", "reg_curp_format"),
        ("HEGG561327MVZRRL03", "reg_curp_component"),
        ("HEGG560427MXXRRL02", "reg_curp_component"),
        ("GOMA100101MDFRRNA3", "reg_curp_minor"),
    ],
)
def test_curp_refused(text: str, response: str) -> None:
    assert refusal(fields.curp, text, TODAY, None)[0] == response


def test_a_valid_curp_corrects_a_different_birth_date() -> None:
    answer = fields.curp("BEML920313HMCLNS09", TODAY, "1990-04-27")
    assert answer == fields.CurpAnswer("BEML920313HMCLNS09", "1992-03-13")


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("55 1234 5678", "+525512345678"),
        ("(55) 1234-5678", "+525512345678"),
        ("+52 1 55 1234 5678", "+525512345678"),
        ("whatsapp:+5215512345678", "+525512345678"),
        ("044 55 1234 5678", "+525512345678"),
        ("01 962 123 4567", "+529621234567"),
        ("0052 55 1234 5678", "+525512345678"),
        ("+504 9999 9999", "+50499999999"),
        ("+509 3700 1234", "+50937001234"),
    ],
)
def test_phones_normalised(text: str, e164: str) -> None:
    assert fields.phone(text) == e164


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("55-1234-567a", "reg_phone_letters"),
        ("cinco cinco", "reg_phone_letters"),
        ("55 1234", "reg_phone_length"),
        ("+504 1234", "reg_phone_invalid"),
        ("55#1234#5678", "reg_phone_symbols"),
        ("📞 5512345678", "reg_phone_symbols"),
    ],
)
def test_phones_refused(text: str, response: str) -> None:
    assert refusal(fields.phone, text)[0] == response


def test_phone_label_is_how_people_read_it() -> None:
    assert fields.phone_label("+525512345678") == "+52 55 1234 5678"


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("Honduras", "es", "HN"), ("hondureña", "es", "HN"), ("Ayiti", "ht", "HT"), ("ayisyen", "ht", "HT"),
        ("Haïti", "fr", "HT"), ("Venesuela", "es", "VE"), ("El Salvador", "en", "SV"), ("Salvador", "fr", "SV"),
        ("cubano", "pt", "CU"), ("soy de Guatemala", "es", "GT"), ("Camerún", "es", "CM"), ("Colombie", "ht", "CO"),
    ],
)
def test_nationality_in_any_language(text: str, lang: str, code: str) -> None:
    assert fields.nationality(text, lang, Countries.load()) == code


def test_nationality_refused_with_the_reason() -> None:
    countries = Countries.load()
    assert refusal(fields.nationality, "Narnia", "es", countries) == ("reg_nationality_unknown", {"value": "Narnia"})
    assert refusal(fields.nationality, "Corea", "es", countries) == (
        "reg_nationality_ambiguous", {"options": "Corea del Norte, Corea del Sur"},
    )


@pytest.mark.parametrize(
    ("text", "state", "city"),
    [
        ("Monterey", "19", "Monterrey"), ("CDMX", "09", None), ("DF", "09", None), ("Mexico City", "09", None),
        ("Tapachula, Chiapas", "07", "Tapachula"), ("nuevo leon", "19", None), ("Estado de México", "15", None),
        ("vivo en Tijuana desde hace dos años", "02", "Tijuana"),
        ("Tuxtla Chico, Chiapas", "07", "Tuxtla Chico"), ("Chiapas, Tuxtla Chico", "07", "Tuxtla Chico"),
        ("Chiapas, 123", "07", None),
    ],
)
def test_places(text: str, state: str, city: str | None) -> None:
    assert fields.place(text, "es", Places.load(), Countries.load()) == fields.PlaceAnswer(state, city)


@pytest.mark.parametrize(
    ("text", "response"),
    [("Texas", "reg_state_unknown"), ("Narnia", "reg_state_unknown"), ("México", "reg_state_mexico"),
     ("Guatemala", "reg_state_country")],
)
def test_places_refused(text: str, response: str) -> None:
    assert refusal(fields.place, text, "es", Places.load(), Countries.load())[0] == response


def test_municipality() -> None:
    places = Places.load()
    assert fields.municipality("tapachula", "07", places) == "Tapachula"
    assert fields.municipality("Tuxtla Chico", "07", places) == "Tuxtla Chico"
    assert refusal(fields.municipality, "Tijuana", "07", places) == (
        "reg_municipality_elsewhere", {"value": "Tijuana", "other": "Baja California", "state": "Chiapas"},
    )
    assert refusal(fields.municipality, "Chiapas", "07", places)[0] == "reg_municipality_is_state"
    assert refusal(fields.municipality, "12345", "07", places)[0] == "reg_municipality_letters"
    assert refusal(fields.municipality, "=cmd|x", "07", places)[0] == "reg_municipality_letters"


@pytest.mark.parametrize(
    ("text", "lang", "trades"),
    [
        ("albañil", "es", ["construction"]), ("mason", "en", ["construction"]), ("maçon", "fr", ["construction"]),
        ("pedreiro", "pt", ["construction"]), ("bòs mason", "ht", ["construction"]),
        ("albañil y pintor", "es", ["construction", "painting"]), ("astronauta", "es", []),
    ],
)
def test_trades_in_any_language(text: str, lang: str, trades: list[str]) -> None:
    found = fields.trades(text, lang, Occupations.load())
    assert found == trades
    if trades[:1] == ["construction"]:
        assert Occupations.load().trades["construction"].sinco == "712"


@pytest.mark.parametrize(
    ("text", "years"),
    [("5", 5), ("5 años", 5), ("8 meses", 0), ("18 months", 1), ("ninguna", 0), ("menos de un año", 0),
     ("pa genyen", 0), ("3 ans", 3)],
)
def test_experience(text: str, years: int) -> None:
    assert fields.experience(text, 40) == years


def test_experience_refused() -> None:
    assert refusal(fields.experience, "muchos", 40)[0] == "reg_experience_number"
    assert refusal(fields.experience, "41", 40)[0] == "reg_experience_too_many"


def test_languages() -> None:
    spoken = spoken_languages()
    assert fields.languages("español, kreyòl y un poco de inglés", spoken) == ["es", "ht", "en"]
    assert fields.languages("K'iche' y mam", spoken) == ["quc", "mam"]
    assert refusal(fields.languages, "ninguno", spoken)[0] == "reg_languages_unknown"


def test_long_answers_are_echoed_short() -> None:
    assert len(fields.echo("x" * 5000)) == fields.ECHO_CHARS
