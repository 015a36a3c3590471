"""Registration records: one per person, the consent kept with it, and nothing personal left
behind after "delete my data" (every table and column is scanned), nor ever in the logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text, update

from bot.app import App
from bot.registration.export import ExportFilter, export
from bot.registration.privacy_notice import PRIVACY_NOTICE_VERSION
from db import registrations as registration_store
from db.audit import audit_log
from tests.support.chat import Chat

ANSWERS = [
    "Rosa María Pineda", "13/03/1992", "hondureña", "1", "BEML920313HMCLNS09",
    "+52 1 55 9876 5432", "Tuxtla Chico, Chiapas", "3", "albañil y costurera", "4", "español", "sí",
]
NEEDLES = ["Rosa María Pineda", "BEML920313HMCLNS09", "5598765432", "1992-03-13", "Tuxtla Chico",
           "albañil y costurera"]


def register(chat: Chat, answers: list[str] = ANSWERS) -> None:
    chat.say("hola")
    chat.say("español")
    chat.say("quiero registrarme")
    chat.tap_label("Sí, acepto")
    for answer in answers:
        chat.say(answer)
    assert "¿Están bien tus datos?" in chat.text, chat.text
    chat.tap_label("Sí, enviar al SNE")
    assert "Guardamos tu registro" in chat.text, chat.text


def stored(app: App) -> list[registration_store.StoredRegistration]:
    with app.db.transaction() as conn:
        return list(registration_store.search(conn))


def everything_in_the_database(app: App) -> list[str]:
    """Every value of every column of every table, as text (JSON for structured values)."""
    found: list[str] = []
    with app.db.transaction() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if value is None:
                        continue
                    found.append(json.dumps(value, ensure_ascii=False, default=str)
                                 if isinstance(value, (dict, list)) else str(value))
    return found


def test_the_record_keeps_the_answers_and_the_consent(chat: Chat, app: App) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    register(chat)
    (record,) = stored(app)
    data = record.data
    assert (data.full_name, data.birth_date, data.nationality, data.document) == (
        "Rosa María Pineda", dt.date(1992, 3, 13), "HN", "tvrh")
    assert (data.curp, data.phone, data.state, data.municipality) == (
        "BEML920313HMCLNS09", "+525598765432", "07", "Tuxtla Chico")
    assert (data.education, data.trades, data.sinco, data.experience_years) == (
        "primary", ["construction", "sewing"], ["712", "7"], 4)
    assert (data.languages, data.willing_to_relocate, data.chat_language) == (["es"], True, "es")
    assert data.occupation_text == "albañil y costurera"
    assert data.consent_version == PRIVACY_NOTICE_VERSION
    assert before <= data.consent_at <= dt.datetime.now(dt.UTC)
    # The answers now live in the table; the conversation keeps only the profile for job search.
    slots = chat.state().slots
    assert [name for name in slots if name.startswith("reg_")] == ["reg_next"]  # "saved": no data
    assert (slots["profile_state"], slots["profile_document"], slots["profile_trades"]) == (
        "07", "tvrh", ["construction", "sewing"])


def test_registering_again_updates_the_one_record(chat: Chat, app: App) -> None:
    register(chat)
    (first,) = stored(app)
    chat.say("registro")
    assert "Ya tienes un registro" in chat.text
    chat.tap_label("Cambiar un dato")
    chat.tap_label("Teléfono")
    chat.say("962 123 4567")
    chat.tap_label("Sí, enviar al SNE")
    (second,) = stored(app)
    assert (second.id, second.created_at) == (first.id, first.created_at)
    assert second.updated_at >= first.updated_at
    assert second.data.phone == "+529621234567"
    assert second.data.full_name == first.data.full_name


def test_an_outdated_privacy_notice_is_asked_again(chat: Chat, app: App) -> None:
    register(chat)
    with app.db.transaction() as conn:
        conn.execute(update(registration_store.registrations).values(consent_version="2020-01-1"))
    chat.say("registro")
    assert "¿Aceptas que guardemos tus datos para esto?" in chat.text
    chat.tap_label("Sí, acepto")
    assert "Ya tienes un registro" in chat.text
    chat.tap_label("Sí, enviar al SNE")
    (record,) = stored(app)
    assert record.data.consent_version == PRIVACY_NOTICE_VERSION


def test_without_consent_nothing_is_kept(chat: Chat, app: App) -> None:
    chat.say("hola")
    chat.say("español")
    chat.say("registro")
    chat.tap_label("No acepto")
    assert "respetamos tu decisión" in chat.text
    assert stored(app) == []
    assert not [name for name in chat.state().slots if name.startswith("reg_")]


def test_delete_my_data_leaves_nothing_personal_in_any_table(app: App, loop: Any, clock: Any, tmp_path: Path) -> None:
    chat = Chat(app, loop, clock, channel="whatsapp", user="whatsapp:+5215598765432",
                phone="whatsapp:+5215598765432")
    register(chat)
    export(app.db, tmp_path / "sne.csv", "csv", ExportFilter(), actor="cli:staff")
    contents = "\n".join(everything_in_the_database(app))
    for needle in NEEDLES:  # the scan finds the data while it is there...
        assert needle in contents, needle
    chat.say("borrar mis datos")
    chat.tap_label("Sí, borrar todo")
    assert "borramos tus datos" in chat.text
    contents = "\n".join(everything_in_the_database(app))
    for needle in NEEDLES:  # ...and nowhere once it is deleted
        assert needle not in contents, needle
    with app.db.transaction() as conn:
        # The export stays in the audit log, without any of it.
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 1


def test_personal_data_never_reaches_the_logs(chat: Chat, app: App, caplog: pytest.LogCaptureFixture,
                                               tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    for noisy in ("rasa_sdk", "bot", "actions", "db", "puente"):  # whatever `puente` set before
        caplog.set_level(logging.DEBUG, logger=noisy)
    chat.say("hola")
    chat.say("español")
    chat.say("registro")
    chat.tap_label("Sí, acepto")
    chat.say("Rosa María 3 Pineda")  # refused, with its explanation
    for answer in ANSWERS:
        chat.say(answer)
    chat.tap_label("Sí, enviar al SNE")
    export(app.db, tmp_path / "sne.xlsx", "xlsx", ExportFilter(), actor="cli:staff")
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for needle in NEEDLES + ["Rosa María 3 Pineda", "9876 5432"]:
        assert needle not in caplog.text, needle


@pytest.mark.parametrize(
    ("lang", "trigger", "accept"),
    [("es", "registro", "sí"), ("ht", "enskri", "wi"), ("fr", "inscription", "oui"),
     ("en", "register", "yes"), ("pt", "cadastro", "sim")],
)
def test_bad_input_at_each_kind_of_question(chat: Chat, app: App, lang: str, trigger: str, accept: str) -> None:
    """5,000 characters, emoji and photos get an explanation in the user's language and the
    same question again; nothing is stored."""
    from bot.messages import Media

    content = app.live.content
    chat.say("hola")
    chat.say({"es": "español", "ht": "kreyòl", "fr": "français", "en": "english", "pt": "português"}[lang])
    chat.say(trigger)
    chat.say(accept)
    paste = "x" * 5000
    for step_id, answer in (("full_name", "Rosa Pineda"), ("birth_date", "27/04/1990"), ("nationality", None)):
        step = content.step(f"registration.{step_id}")
        question, _ = step.say.get(lang)
        before = chat.state()
        chat.say(paste)
        too_long, _ = content.messages["too_long"].get(lang)
        assert too_long.replace("{max}", str(step.max_length)) in chat.text
        assert question in chat.text
        chat.say("🙂👍")
        assert content.messages["no_words"].get(lang)[0] in chat.text
        chat.send(media=Media.PHOTO)
        assert content.messages["media"].get(lang)[0] in chat.text
        assert question in chat.text
        assert chat.state().slots == before.slots
        if answer:
            chat.say(answer)
    assert stored(app) == []
