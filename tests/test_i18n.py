"""Formatting for the reader's locale, and the first guess of their language."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.i18n import Formatter, language_name, suggest_language
from bot.nlu.dates import DateError, parse_date

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("lang", "money", "date"),
    [
        ("es", "$315.04", "1 de enero de 2026"),
        ("ht", "315,04\xa0$MX", "1 janvye 2026"),
        ("fr", "315,04\xa0$MX", "1 janvier 2026"),
        ("en", "MX$315.04", "January 1, 2026"),
        ("pt", "MX$\xa0315,04", "1 de janeiro de 2026"),
    ],
)
def test_money_and_dates(lang: str, money: str, date: str) -> None:
    formatter = Formatter()
    assert formatter.money(315.04, lang) == money
    assert formatter.date(dt.date(2026, 1, 1), lang) == date


@pytest.mark.parametrize(
    ("hint", "phone", "expected"),
    [
        ("pt-br", None, "pt"),
        ("fr", None, "fr"),
        ("de", None, None),
        (None, "whatsapp:+50937001234", "ht"),
        (None, "+5511987654321", "pt"),
        (None, "whatsapp:+5215512345678", None),  # a Mexican number says nothing
        (None, "not a phone", None),
    ],
)
def test_language_suggestion(hint: str | None, phone: str | None, expected: str | None) -> None:
    assert suggest_language(hint, phone) == expected


def test_language_names_are_autonyms() -> None:
    assert [language_name(c) for c in ("es", "ht", "fr", "en", "pt")] == [
        "Español", "Kreyòl Ayisyen", "Français", "English", "Português",
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("27/04/1990", "es", "1990-04-27"),
        ("1990-04-27", "en", "1990-04-27"),
        ("27 de abril de 1990", "es", "1990-04-27"),
        ("27 avril 1990", "fr", "1990-04-27"),
        ("April 27, 1990", "en", "1990-04-27"),
        ("27 jiyè 1990", "ht", "1990-07-27"),
        ("5 out 2001", "ht", "2001-08-05"),
        ("5 out 2001", "pt", "2001-10-05"),
        ("3 março 85", "pt", "1985-03-03"),
    ],
)
def test_dates_in_any_reasonable_format(text: str, lang: str, expected: str) -> None:
    assert parse_date(text, TODAY, lang).isoformat() == expected


@pytest.mark.parametrize(("text", "reason"), [("31/02/1990", "impossible_date"), ("mañana", "not_a_date"), ("13/13/13", "impossible_date"), ("hoy", "not_a_date")])
def test_dates_that_are_not(text: str, reason: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_date(text, TODAY, "es")
    assert raised.value.reason == reason
