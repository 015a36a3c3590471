"""`puente telegram poll`: getUpdates against the fake Bot API, the same turns as the webhook,
every reply through the API, the offset confirmed only after the batch is stored."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.app import App
from bot.polling import TelegramPoller
from tests.channels.conftest import FakeTime
from tests.channels.drivers import ChannelUser, TelegramUser
from tests.channels.fakes import FakePlatforms
from tests.support.clock import FakeClock


@pytest.fixture
def users(channel_app: App, platforms: FakePlatforms, clock: FakeClock) -> Iterator[tuple[TelegramUser, TelegramUser]]:
    # Only their update JSON is used: polling needs no webhook and no public URL.
    yield (
        TelegramUser(channel_app, "http://127.0.0.1:9", platforms, clock, user_id=8001),
        TelegramUser(channel_app, "http://127.0.0.1:9", platforms, clock, user_id=8002, language_code="fr"),
    )
    ChannelUser.close_all()


def poll(app: App, fake_time: FakeTime, batches: int, poller: TelegramPoller | None = None) -> TelegramPoller:
    assert app.channels.telegram is not None
    poller = poller or TelegramPoller(app.channels.telegram, app.inbox, fake_time.pace(), outbox=app.outbox, timeout=0)

    async def main() -> None:
        try:
            await poller.run(batches=batches)
        finally:
            await app.aclose()

    asyncio.run(main())
    return poller


def test_polling_answers_every_update_through_the_api(
    channel_app: App, platforms: FakePlatforms, fake_time: FakeTime, users: tuple[TelegramUser, TelegramUser]
) -> None:
    ana, jean = users
    first = [ana.update("text.json", text="hola"), jean.update("text.json", text="bonjour")]
    platforms.updates.extend(first)
    poller = poll(channel_app, fake_time, batches=1)
    assert platforms.attempts("deleteWebhook")  # getUpdates is refused while a webhook is set
    assert poller.offset == max(u["update_id"] for u in first) + 1
    replies = {c.params["chat_id"]: c.params["text"] for c in platforms.sent("sendMessage")}
    assert "¿En qué idioma quieres que te escriba?" in replies[8001]
    assert replies[8002].startswith("Dans quelle langue voulez-vous que je vous écrive ?")
    assert {c.via for c in platforms.sent("sendMessage")} == {"api"}
    # The next batch: a button and a text of the same user, in order.
    platforms.updates.extend([ana.update("callback_query.json", data="language.pick.es"), ana.update("text.json", text="mis datos")])
    poll(channel_app, fake_time, batches=1, poller=poller)
    assert platforms.sent("answerCallbackQuery")
    texts = [c.params["text"] for c in platforms.sent("sendMessage", chat_id=8001)]
    assert "Listo, te escribiré en español." in texts[1]
    assert "Puente guarda solo lo necesario" in texts[2]
    confirmed = platforms.attempts("getUpdates")[-1].params
    assert int(confirmed["offset"]) == first[-1]["update_id"] + 1


def test_polling_waits_while_the_database_is_away_and_loses_nothing(
    channel_app: App, platforms: FakePlatforms, fake_time: FakeTime, users: tuple[TelegramUser, TelegramUser]
) -> None:
    ana, _ = users
    update = ana.update("text.json", text="hola")
    platforms.updates.append(update)

    def gone(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        raise OperationalError(statement, parameters, ConnectionError("connection refused"))

    event.listen(channel_app.db.engine, "before_cursor_execute", gone)
    try:
        poller = poll(channel_app, fake_time, batches=2)
    finally:
        event.remove(channel_app.db.engine, "before_cursor_execute", gone)
    assert poller.offset is None  # nothing confirmed: Telegram keeps the update
    assert fake_time.sleeps and platforms.sent("sendMessage") == []
    poll(channel_app, fake_time, batches=1, poller=poller)
    assert poller.offset == update["update_id"] + 1
    assert len(platforms.sent("sendMessage", chat_id=8001)) == 1


def test_polling_survives_the_bot_api_being_down(
    channel_app: App, platforms: FakePlatforms, fake_time: FakeTime, users: tuple[TelegramUser, TelegramUser]
) -> None:
    ana, _ = users
    platforms.updates.append(ana.update("text.json", text="hola"))
    platforms.fail("getUpdates", 502, times=1)
    poll(channel_app, fake_time, batches=2)
    assert len(platforms.sent("sendMessage", chat_id=8001)) == 1
    assert fake_time.sleeps  # waited before asking again
