"""'My data' lists what Puente keeps about the person: language, place, document, alerts."""

from __future__ import annotations

import datetime as dt

from bot.engine import ConversationState
from db import contacts as contact_store
from db.vacancies.alerts import add_alert
from tests.support.chat import Chat


def test_my_data_lists_the_profile_and_alerts(chat: Chat) -> None:
    chat.say("hola")
    chat.say("español")
    now = dt.datetime.fromtimestamp(chat.clock(), dt.UTC)
    with chat.app.db.transaction() as conn:
        contact = contact_store.find_contact(conn, "console", chat.user)
        assert contact is not None
        state = ConversationState.from_json(contact_store.load_state(conn, contact.id))
        state.slots.update(profile_state="07", profile_document="comar")
        contact_store.save_state(conn, contact.id, state.to_json(), now)
        add_alert(conn, contact.id, {"trades": ["cooking"]}, "cooking", now)
    chat.say("mis datos")
    assert "• El estado donde vives: Chiapas" in chat.text
    assert "• Tu documento migratorio: Constancia de trámite de la COMAR" in chat.text
    assert "• Avisos de vacantes nuevas que pediste: 1" in chat.text
    chat.say("borrar mis datos")
    chat.say("sí")
    chat.say("hola")
    chat.say("español")
    chat.say("mis datos")
    assert "Chiapas" not in chat.text and "Avisos" not in chat.text
