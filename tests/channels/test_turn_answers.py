"""Exactly-once turns, at-least-once replies: a turn's replies are kept in its transaction, those
sent through a platform's API as outbox rows. A platform that does not take them, a crash
between the commit and the send, a redelivery: every reply arrives once, in order."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.channels.port import Received
from bot.conversation.retention import prune_processed_ids
from bot.engine import CompiledContent
from bot.settings import Settings
from bot.web.app import create_web_app
from db.answers import turn_answers
from db.outbound import outbound_messages
from db.tables import processed_messages
from tests.channels.conftest import QUICK_REPLIES, FakeTime, channel_environment, make_app
from tests.channels.drivers import ChannelUser, TelegramUser, WhatsAppUser
from tests.channels.fakes import FakePlatforms, ServerThread
from tests.channels.test_outbox import drain, one_try_per_send
from tests.support.clock import FakeClock


def statuses(app: App) -> list[tuple[str, str]]:
    with app.db.transaction() as conn:
        return [(r.kind, r.status) for r in conn.execute(
            select(outbound_messages.c.kind, outbound_messages.c.status).order_by(outbound_messages.c.id))]


def count(app: App, table) -> int:  # type: ignore[no-untyped-def]
    with app.db.transaction() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.fixture
def quick(
    database_url: str, platforms: FakePlatforms, content: CompiledContent, clock: FakeClock, fake_time: FakeTime
) -> Iterator[tuple[App, WhatsAppUser]]:
    """WhatsApp with quick replies configured: a reply with two short choices goes by REST."""
    settings = Settings.from_mapping(channel_environment(
        database_url, platforms,
        TWILIO_QUICK_REPLY_SIDS=",".join(f"{n}={sid}" for sid, n in QUICK_REPLIES.items()),
    ))
    platforms.reset()
    app = make_app(settings, content, clock, fake_time)
    one_try_per_send(app, fake_time)
    with ServerThread(create_web_app(app)) as server:
        yield app, WhatsAppUser(app, server.url, platforms, clock, templates={s: "quick" for s in QUICK_REPLIES})
        ChannelUser.close_all()
    app.close()


def rest_sends(platforms: FakePlatforms, to: str) -> list[dict]:  # type: ignore[type-arg]
    return [c.params for c in platforms.calls if c.method == "Messages" and c.answer < 300 and c.params.get("To") == to]


def reach_my_data(user: WhatsAppUser) -> None:
    user.say("Hola")
    user.say("1")


def test_a_rest_reply_twilio_does_not_take_is_sent_later_by_the_sweep_once(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock
) -> None:
    app, user = quick
    reach_my_data(user)
    sent_before = len(rest_sends(platforms, user.user))
    platforms.fail("Messages", 503, code=20503, times=1)
    form = user.form("text.form", Body="mis datos")
    assert user.post(form).status_code == 200  # the turn is stored, its replies with it
    assert statuses(app)[-1] == ("reply", "failed")
    assert len(rest_sends(platforms, user.user)) == sent_before
    # Twilio asks again (it had our 200, so it would not; a redelivery must not double anything).
    assert user.post(form).status_code == 200
    clock.advance(31)
    drain(app)
    [sent] = rest_sends(platforms, user.user)[sent_before:]  # once
    assert "Esto es lo que Puente guarda" in sent["ContentVariables"] and "ContentSid" in sent
    assert statuses(app)[-1] == ("reply", "sent")
    drain(app)
    assert len(rest_sends(platforms, user.user)) == sent_before + 1


def crash_after_commit(app: App, received: Received) -> None:
    """The turn runs and commits; the process dies before anything leaves (kill -9 there)."""
    channel = app.channels.ports()[received.channel]

    async def main() -> None:
        try:
            await app.inbox.receive(received, app.inbox.planner(channel, received))
        finally:
            await app.aclose()

    asyncio.run(main())


def test_a_crash_between_commit_and_rest_send_is_answered_by_the_sweep_once(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock
) -> None:
    app, user = quick
    reach_my_data(user)
    sent_before = len(rest_sends(platforms, user.user))
    channel = app.channels.whatsapp
    assert channel is not None
    crash_after_commit(app, channel.parse(user.form("text.form", Body="mis datos")))
    assert len(rest_sends(platforms, user.user)) == sent_before
    drain(app)  # within the grace the sender had: left alone
    assert len(rest_sends(platforms, user.user)) == sent_before
    clock.advance(31)
    drain(app)
    drain(app)
    assert len(rest_sends(platforms, user.user)) == sent_before + 1
    assert statuses(app)[-1] == ("reply", "sent")


def test_a_redelivery_after_a_crash_sends_the_stored_replies_once(
    quick: tuple[App, WhatsAppUser], platforms: FakePlatforms, clock: FakeClock
) -> None:
    app, user = quick
    reach_my_data(user)
    state = user.state()
    sent_before = len(rest_sends(platforms, user.user))
    channel = app.channels.whatsapp
    assert channel is not None
    form = user.form("text.form", Body="mis datos")
    crash_after_commit(app, channel.parse(form))
    turned = user.state()
    assert turned != state
    # Twilio got no answer and posts the message again: the stored turn is answered now.
    assert user.post(form).status_code == 200
    assert len(rest_sends(platforms, user.user)) == sent_before + 1
    assert user.state() == turned  # not run again
    clock.advance(31)
    drain(app)
    assert len(rest_sends(platforms, user.user)) == sent_before + 1


def test_telegram_keeps_the_order_when_the_api_part_waits(
    telegram_user: TelegramUser, channel_app: App, platforms: FakePlatforms, clock: FakeClock,
    fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch,
) -> None:
    one_try_per_send(channel_app, fake_time)
    telegram_user.say("hola")
    # Texts longer than Telegram's limit become several messages (a limit of 200 here).
    monkeypatch.setattr("bot.channels.telegram.render.TEXT_LIMIT", 200)
    platforms.fail("sendMessage", 502, times=1)
    mark = len(platforms.calls)
    response = telegram_user.post(telegram_user.update("text.json", text="1"))
    # Several messages: all but the last by the Bot API (the first was not taken); the last
    # would ride in the response, and waits behind them instead.
    assert response.status_code == 200 and response.content == b""
    rows = statuses(channel_app)
    assert len(rows) >= 2 and rows[0] == ("reply", "failed") and rows[-1] == ("reply", "pending")
    clock.advance(31)
    drain(channel_app)
    texts = [c.params["text"] for c in platforms.calls[mark:] if c.method == "sendMessage" and c.answer < 300]
    assert len(texts) == len(rows)  # each once
    assert texts[0].startswith("Listo, te escribiré en español")
    assert "¿En qué te puedo ayudar?" in texts[-1]
    assert statuses(channel_app) == [("reply", "sent")] * len(rows)


def test_processed_ids_and_stored_answers_are_pruned_after_the_retention(
    telegram_user: TelegramUser, channel_app: App, clock: FakeClock
) -> None:
    telegram_user.say("hola")
    assert count(channel_app, processed_messages) == count(channel_app, turn_answers) == 1
    now = dt.datetime.fromtimestamp(clock(), dt.UTC)
    assert prune_processed_ids(channel_app.db, now + dt.timedelta(days=6), 7) == 0
    assert prune_processed_ids(channel_app.db, now + dt.timedelta(days=8), 7) == 1
    assert count(channel_app, processed_messages) == count(channel_app, turn_answers) == 0
