"""One transaction per turn: duplicates are dropped, a failed turn leaves the state intact."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.messages import Inbound
from db.tables import contacts, conversations, counters, identities, processed_messages
from tests.support.chat import Chat


def test_redelivered_message_is_processed_once(chat: Chat) -> None:
    first = chat.send(text="hola", external_id="tg-1001")
    assert first
    again = chat.send(text="hola", external_id="tg-1001")
    assert again == []
    with chat.app.db.transaction() as conn:
        assert conn.execute(select(func.count()).select_from(processed_messages)).scalar_one() == 1


def test_a_crash_in_an_action_keeps_the_previous_state(
    chat: Chat, app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    chat.say("hola")
    chat.say("1")
    before = chat.state()

    def broken(code: str) -> str:
        raise RuntimeError("boom with personal data: Juana Pérez")

    monkeypatch.setattr("actions.privacy.language_name", broken)
    chat.send(text="mis datos", external_id="m-77")
    assert "Lo siento, algo falló de nuestro lado." in chat.text
    assert chat.state() == before
    # The redelivery of the same message is not run again.
    assert chat.send(text="mis datos", external_id="m-77") == []
    with app.db.transaction() as conn:
        errors = conn.execute(select(counters.c.count).where(counters.c.name == "error")).scalar_one()
    assert errors == 1
    assert "RuntimeError" in caplog.text
    assert "Juana" not in caplog.text  # personal data never reaches the logs


def test_turns_of_one_user_run_in_order(app: App, loop: asyncio.AbstractEventLoop) -> None:
    async def burst() -> list[list[str]]:
        inbound = [Inbound("console", "same-user", text=t, external_id=f"c-{i}") for i, t in enumerate(["hola", "1", "privacidad"])]
        outcomes = await asyncio.gather(*(app.conversations.handle(m) for m in inbound))
        return [[r.text for r in o.replies] for o in outcomes]

    replies = loop.run_until_complete(burst())
    assert "¿En qué idioma" in replies[0][0]
    assert any("¿En qué te puedo ayudar?" in t for t in replies[1])
    assert any("Puente guarda solo lo necesario" in t for t in replies[2])


def test_deleting_my_data_leaves_nothing_behind(chat: Chat, app: App) -> None:
    chat.send(text="hola", referral="albergue_tapachula")
    chat.say("1")
    chat.say("borrar mis datos")
    chat.say("sí")
    with app.db.transaction() as conn:
        for table in (contacts, identities, conversations):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0, table.name


def test_referral_code_is_kept_on_the_contact(chat: Chat, app: App) -> None:
    chat.send(is_start=True, referral="albergue_tapachula")
    with app.db.transaction() as conn:
        assert conn.execute(select(contacts.c.referral)).scalar_one() == "albergue_tapachula"
