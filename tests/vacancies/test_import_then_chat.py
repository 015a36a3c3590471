"""A staff member imports a vacancy file; a user finds the new offer in the chat at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.app import App
from bot.days import mexico_today
from bot.vacancies.importer import import_file
from tests.support.chat import Chat


def test_an_imported_offer_is_found_in_the_chat_at_once(app: App, chat: Chat, tmp_path: Path) -> None:
    chat.say("hello")
    chat.say("english")
    chat.say("find a job")
    chat.say("welder in Ciudad Juárez")
    assert "I found no jobs for “Welder · Ciudad Juárez, Chihuahua”." in chat.text
    today = mexico_today()
    offers = tmp_path / "juarez.csv"
    offers.write_text(
        "source,external_id,title,employer,state,municipality,salary_min,salary_max,salary_period,"
        "how_to_apply,documents,published_on\n"
        "sne-chih,J-1,Soldador MIG,Estructuras del Bravo,Chihuahua,Ciudad Juárez,4500,5600,semanal,"
        f"Preséntate en la planta con tu CURP,tvrh;comar,{today.isoformat()}\n",
        encoding="utf-8",
    )
    report = import_file(app.db, offers, today=today, now=dt.datetime.now(dt.UTC))
    assert report.inserted == 1
    chat.tap_label("New search")
    chat.say("welder in Ciudad Juárez")
    assert "Jobs for “Welder · Ciudad Juárez, Chihuahua”:" in chat.text
    assert "1. Soldador MIG" in chat.text and "MX$4,500.00 to MX$5,600.00 a week" in chat.text
    chat.say("1")
    assert "• Visitor Card for Humanitarian Reasons (TVRH)" in chat.text
    assert "Preséntate en la planta con tu CURP" in chat.text
    assert "sample" not in chat.text.lower()  # a real offer carries no sample notice
