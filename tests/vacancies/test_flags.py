"""Reports on vacancies: one per person, seen by staff, kept (without the person) after deletion."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from bot.app import App
from db import contacts as contact_store
from db.vacancies.flags import add_flag, flag_summaries
from tests.support.chat import Chat
from tests.vacancies.fixtures import offer, store

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def test_a_report_from_the_chat_reaches_staff_and_survives_deletion(app: App, chat: Chat) -> None:
    store(app.db, [offer("m1", "Mesero", "23", "Cancún", employer="Restaurante Dudoso")])
    chat.say("busco trabajo de mesero en Cancún")
    chat.say("1")
    chat.tap_label("Reportar esta vacante")
    chat.tap_label("Me piden dinero")
    assert "Gracias. El equipo de Puente revisará esta vacante." in chat.text
    with app.db.transaction() as conn:
        [summary] = flag_summaries(conn)
        assert (summary.title, summary.employer, summary.counts) == ("Mesero", "Restaurante Dudoso", {"money": 1})
        vacancy_id = summary.vacancy_id
        other = contact_store.find_or_create_contact(conn, "whatsapp", "whatsapp:+5215500000000", NOW)
        assert add_flag(conn, vacancy_id, other.id, "fraud", NOW)
        assert not add_flag(conn, vacancy_id, other.id, "money", NOW)  # one report per person
        [summary] = flag_summaries(conn)
        assert summary.counts == {"money": 1, "fraud": 1}
    chat.say("borrar mis datos")
    chat.say("sí")
    with app.db.transaction() as conn:
        owners = conn.execute(text("SELECT contact_id FROM vacancy_flags ORDER BY id")).scalars().all()
        assert owners == [None, other.id]
        assert flag_summaries(conn)[0].total == 2
