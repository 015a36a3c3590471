"""The send pace shared by every worker through Redis (REDIS_URL): two clients, as two workers
would be, sending together to a fake Bot API that answers 429 above its rate, stay under it."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator

import pytest

from bot.channels.pacing import Backoff, Pace, SharedRate, pace_for
from bot.channels.port import Sent
from bot.channels.telegram.api import TelegramClient
from bot.channels.telegram.render import TelegramMessage
from bot.channels.whatsapp.api import WhatsAppClient
from bot.channels.whatsapp.render import WhatsAppMessage
from bot.settings import Settings
from tests.channels.fakes import FakePlatforms

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own; keys under a fresh prefix
# The pace does not touch the database: one backend is enough.
ONE_BACKEND = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({type(error).__name__}); CI runs it")
    prefix = f"puente-test-{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def workers(settings: Settings, shared: SharedRate | None, count: int = 2) -> list[Pace]:
    # One try per message: a 429 from the fake shows as a failure, not as a quiet retry.
    return [Pace(backoff=Backoff(attempts=1), shared=shared) for _ in range(count)]


async def blast(settings: Settings, paces: list[Pace], per_worker: int, limit: Callable[[], None]) -> list[str]:
    """Each worker sends `per_worker` messages at once, all workers together. Their connections
    are opened first (a round the fake does not limit): opening ten connections at once takes
    the fake a moment, which would squeeze the first second's messages into the next."""
    clients = [TelegramClient(settings, pace) for pace in paces]

    def round_of(count: int, tag: str) -> list[Awaitable[Sent]]:
        return [client.send(TelegramMessage(8000 + 100 * w + n, f"{tag} {w}.{n}"))
                for w, client in enumerate(clients) for n in range(count)]

    try:
        await asyncio.gather(*round_of(per_worker, "warm-up"))
        await asyncio.sleep(1.1)  # the shared window empties
        limit()
        return [sent.status for sent in await asyncio.gather(*round_of(per_worker, "aviso"))]
    finally:
        for client in clients:
            await client.close()


@ONE_BACKEND
def test_two_workers_share_telegrams_pace_through_redis(
    channel_settings: Settings, platforms: FakePlatforms, redis_prefix: str
) -> None:
    platforms.reset()
    settings = dataclasses.replace(channel_settings, telegram_messages_per_second=5)
    started: list[float] = []

    def limit() -> None:
        # Room above the shared 5 a second for the moment a message takes to arrive.
        platforms.limit("sendMessage", 8)
        started.append(time.monotonic())

    statuses = asyncio.run(blast(settings, workers(settings, SharedRate(REDIS_URL, redis_prefix)), 10, limit))
    elapsed = time.monotonic() - started[0]
    assert statuses == ["sent"] * 20
    assert [c.answer for c in platforms.attempts("sendMessage") if c.answer == 429] == []
    assert elapsed >= 2.9  # 20 messages at 5 a second: three seconds after the first five


@ONE_BACKEND
def test_without_redis_each_worker_keeps_its_own_pace_and_together_they_go_over(
    channel_settings: Settings, platforms: FakePlatforms
) -> None:
    """Why the shared pace exists: two workers at 10 a second each are 20 a second."""
    platforms.reset()
    settings = dataclasses.replace(channel_settings, telegram_messages_per_second=5)
    statuses = asyncio.run(blast(settings, workers(settings, None), 10, lambda: platforms.limit("sendMessage", 8)))
    assert statuses.count("failed") > 0
    assert any(c.answer == 429 for c in platforms.attempts("sendMessage"))


@ONE_BACKEND
def test_whatsapps_sender_pace_is_shared_too(
    channel_settings: Settings, platforms: FakePlatforms, redis_prefix: str
) -> None:
    platforms.reset()
    settings = dataclasses.replace(channel_settings, whatsapp_messages_per_second=5)
    shared = SharedRate(REDIS_URL, redis_prefix)

    async def main() -> list[str]:
        clients = [WhatsAppClient(settings, pace) for pace in workers(settings, shared)]

        def round_of() -> list[Awaitable[Sent]]:
            return [client.send(f"whatsapp:+52155500{w}{n:04d}", WhatsAppMessage(body="aviso"))
                    for w, client in enumerate(clients) for n in range(6)]

        try:
            await asyncio.gather(*round_of())  # connections opened first, as for Telegram
            await asyncio.sleep(1.1)
            platforms.limit("Messages", 8)
            return [sent.status for sent in await asyncio.gather(*round_of())]
        finally:
            for client in clients:
                await client.close()

    assert asyncio.run(main()) == ["sent"] * 12
    assert not any(c.answer == 429 for c in platforms.attempts("Messages"))


@ONE_BACKEND
def test_redis_out_of_reach_falls_back_to_the_pace_in_process(
    channel_settings: Settings, platforms: FakePlatforms, caplog: pytest.LogCaptureFixture
) -> None:
    platforms.reset()
    settings = dataclasses.replace(channel_settings, telegram_messages_per_second=5)
    nowhere = SharedRate("redis://127.0.0.1:9/0", "puente-test")  # port 9: nothing listens
    started: list[float] = []
    statuses = asyncio.run(blast(settings, workers(settings, nowhere, count=1), 8,
                                 lambda: started.append(time.monotonic())))
    assert statuses == ["sent"] * 8
    assert time.monotonic() - started[0] >= 0.55  # 5 at once, 3 more at 5 a second
    assert "shared pace unavailable" in caplog.text


def test_redis_url_selects_the_shared_pace() -> None:
    assert pace_for("").shared is None
    assert pace_for(REDIS_URL).shared is not None

