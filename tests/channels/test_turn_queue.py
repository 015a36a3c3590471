"""A turn's replies queue behind the person's earlier message still waiting for another try:
the turn's one read says whether the person has such a row (db/turns.py), and only then are
the rows asked for their next try. One person's messages arrive in order."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import App
from db.outbound import outbound_messages
from tests.channels.conftest import FakeTime
from tests.channels.drivers import TelegramUser
from tests.channels.fakes import FakePlatforms
from tests.channels.test_outbox import drain, one_try_per_send
from tests.support.clock import FakeClock


def rows(app: App) -> list[tuple[str, str]]:
    """(status, text) of every outbound row, oldest first."""
    with app.db.transaction() as conn:
        found = conn.execute(select(outbound_messages.c.status, outbound_messages.c.body)
                             .order_by(outbound_messages.c.id)).all()
    return [(status, body["text"]) for status, body in found]


def test_the_next_turn_waits_behind_a_reply_the_platform_did_not_take(
    telegram_user: TelegramUser, channel_app: App, platforms: FakePlatforms, clock: FakeClock,
    fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch,
) -> None:
    one_try_per_send(channel_app, fake_time)
    telegram_user.say("hola")
    monkeypatch.setattr("bot.channels.telegram.render.TEXT_LIMIT", 200)  # several messages a turn
    platforms.fail("sendMessage", 502, times=1)
    assert telegram_user.post(telegram_user.update("text.json", text="1")).content == b""
    first = rows(channel_app)
    assert first[0][0] == "failed"

    # The person writes again before the retry: this turn's replies (the one that would ride
    # in the response too) wait behind the first turn's.
    mark = len(platforms.calls)
    response = telegram_user.post(telegram_user.update("text.json", text="menú"))
    assert response.status_code == 200 and response.content == b""
    assert [c for c in platforms.calls[mark:] if c.method == "sendMessage"] == []
    both = rows(channel_app)
    assert len(both) > len(first) and {status for status, _ in both[len(first):]} == {"pending"}

    clock.advance(31)
    drain(channel_app)
    sent = [c.params["text"] for c in platforms.calls[mark:] if c.method == "sendMessage" and c.answer < 300]
    assert sent == [text for _, text in both]  # each once, in order
    assert {status for status, _ in rows(channel_app)} == {"sent"}
