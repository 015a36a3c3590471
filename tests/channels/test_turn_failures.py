"""The database failing inside an action (a connection killed mid-turn): the webhook answers 503
and records nothing (no message id, no state), so the platform's retry runs the whole turn
again once the database answers; on both webhooks and both backends."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import OperationalError

from bot.app import App
from db import registrations
from db.tables import processed_messages
from tests.channels.drivers import ChannelUser, TelegramUser, WhatsAppUser
from tests.channels.fakes import FakePlatforms


def count_processed(app: App) -> int:
    with app.db.transaction() as conn:
        return int(conn.execute(select(func.count()).select_from(processed_messages)).scalar_one())


def failing_storage(original: Any) -> Any:
    """registrations.find (the 'my data' action reads it) meeting a database that goes away:
    on PostgreSQL the connection really is killed (pg_terminate_backend); SQLite's own error
    for a lost disk otherwise."""

    def find(conn: Connection, contact_id: int) -> Any:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")
        raise OperationalError("SELECT ...", {}, sqlite3.OperationalError("disk I/O error"))

    return find


@pytest.mark.parametrize("platform", ["telegram", "whatsapp"])
def test_the_database_failing_in_an_action_is_a_503_and_nothing_is_recorded(
    platform: str, channel_app: App, telegram_user: TelegramUser, whatsapp_user: WhatsAppUser,
    platforms: FakePlatforms, monkeypatch: pytest.MonkeyPatch,
) -> None:
    user: ChannelUser = telegram_user if platform == "telegram" else whatsapp_user
    user.say("hola")
    user.say("1")
    before, processed = user.state(), count_processed(channel_app)
    original = registrations.find
    monkeypatch.setattr(registrations, "find", failing_storage(original))
    if isinstance(user, TelegramUser):
        update = user.update("text.json", text="mis datos")
        failed = user.post(update)
    else:
        form = user.form("text.form", Body="mis datos")
        failed = user.post(form)
    assert failed.status_code == 503
    assert "Lo siento" not in failed.text  # no apology: the turn is not over
    assert user.state() == before
    assert count_processed(channel_app) == processed
    # The platform's retry, with the database back: the turn runs and is answered.
    monkeypatch.setattr(registrations, "find", original)
    mark = len(platforms.calls)
    again = user.post(update) if isinstance(user, TelegramUser) else user.post(form)
    assert again.status_code == 200
    assert "Esto es lo que Puente guarda" in "\n".join(r.text for r in user.received(since=mark))
    assert count_processed(channel_app) == processed + 1
