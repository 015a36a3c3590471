"""The Bot API client's HTTP layer (aiohttp under python-telegram-bot): a request that never
left is tried again; one that may have reached Telegram is not (no double message)."""

from __future__ import annotations

import asyncio
import socket
import threading

from bot.channels.pacing import Pace
from bot.channels.telegram.api import TelegramClient
from bot.channels.telegram.render import TelegramMessage
from bot.settings import Settings
from tests.channels.fakes import BOT_TOKEN


def _client(url: str, sleeps: list[float]) -> TelegramClient:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    settings = Settings.from_mapping({"TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_URL": url})
    return TelegramClient(settings, Pace(sleep=sleep))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _send(client: TelegramClient) -> str:
    async def go() -> str:
        try:
            return (await client.send(TelegramMessage(42, "hola"))).status
        finally:
            await client.close()

    return asyncio.run(go())


def test_nobody_listening_is_tried_again_then_reported_failed() -> None:
    sleeps: list[float] = []
    assert _send(_client(f"http://127.0.0.1:{_closed_port()}", sleeps)) == "failed"
    assert sleeps == [0.5, 1.0, 2.0, 4.0]  # four waits between five tries, none ever sent


def test_no_answer_after_sending_is_not_sent_twice() -> None:
    received: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def swallow() -> None:  # reads the request and never answers
        conn, _ = server.accept()
        received.append(conn.recv(65536))
        threading.Event().wait(3)
        conn.close()

    threading.Thread(target=swallow, daemon=True).start()
    sleeps: list[float] = []
    client = _client(f"http://127.0.0.1:{port}", sleeps)

    async def go() -> str:
        bot = client.bot
        bot.request._read_timeout = 0.5  # type: ignore[attr-defined]
        try:
            return (await client.send(TelegramMessage(42, "hola"))).status
        finally:
            await client.close()

    try:
        assert asyncio.run(go()) == "failed"
    finally:
        server.close()
    assert len(received) == 1 and b"sendMessage" in received[0]
    assert sleeps == []
