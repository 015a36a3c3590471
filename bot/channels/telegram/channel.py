"""The Telegram channel behind the port: the webhook's secret, updates in, inline keyboards
out (the last message in the webhook's response body), and the answers to tapped buttons."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from bot.channels.port import Forbidden, HttpReply, Received, Sent, WebhookCall
from bot.channels.telegram.api import TelegramClient
from bot.channels.telegram.inbound import CHANNEL, parse
from bot.channels.telegram.render import TelegramMessage, render
from bot.channels.telegram.secret import SecretToken
from bot.messages import Outbound
from bot.metrics import Metrics

log = logging.getLogger("puente.telegram")

# Tasks answering tapped buttons (answerCallbackQuery) after the webhook replied.
ACK_TASKS = 4
_NOTHING = HttpReply()


class TelegramChannel:
    name = CHANNEL

    def __init__(self, client: TelegramClient, metrics: Metrics, webhook_secret: str = "") -> None:
        self.client = client
        self.metrics = metrics
        self.secret = SecretToken(webhook_secret)
        self._acks: asyncio.Queue[str] | None = None
        self._acks_loop: asyncio.AbstractEventLoop | None = None
        self._ack_tasks: list[asyncio.Task[None]] = []

    def authenticate(self, call: WebhookCall) -> bytes | None:
        """The body, when the X-Telegram-Bot-Api-Secret-Token header is TELEGRAM_WEBHOOK_SECRET
        (compared in constant time); Forbidden otherwise."""
        if not self.secret.valid(call.headers):
            raise Forbidden("wrong secret token")
        return call.body

    def parse(self, raw: bytes | None) -> Received:
        return parse(raw)

    def render(self, address: int | str, replies: Sequence[Outbound], language: str | None = None, *,
               first: bool = False) -> list[TelegramMessage]:
        return render(address, replies)

    def restore(self, address: int | str, record: Mapping[str, Any]) -> TelegramMessage:
        return TelegramMessage.from_record(address, record)

    def template(self, content_sid: str, variables: Mapping[str, str]) -> None:
        """Telegram has no templates: a bot may write first at any time."""
        return None

    def split(self, messages: list[TelegramMessage]) -> tuple[list[TelegramMessage], list[TelegramMessage]]:
        """The last message rides in the response body as a sendMessage call (Telegram runs it
        after the ones sent before, so the order holds): one message costs no request of ours."""
        return messages[:-1], messages[-1:]

    async def respond(self, received: Received, messages: list[TelegramMessage]) -> HttpReply:
        # A tapped button is answered just after the reply (the channel's own tasks do it).
        self.acknowledge_soon(received.tap)
        if not messages:
            return _NOTHING
        return HttpReply(json.dumps(messages[-1].webhook_reply(), ensure_ascii=False), "application/json")

    async def send(self, address: int | str, message: TelegramMessage, *, first: bool = False) -> Sent:
        """`first`: the bot writes first (an alert), so the pace of one message a second per
        chat applies. The message knows its chat."""
        return await self.client.send(message, first=first)

    # The Bot API keeps no list of the messages a bot sent: a send cut off cannot be looked for.
    lists_sent = False

    async def find_sent(self, address: int | str, message: TelegramMessage, since: dt.datetime,
                        known: Collection[str]) -> str | None:
        return None

    async def bot_username(self) -> str | None:
        """For t.me links (referral posters): asked from Telegram once per process."""
        return await self.client.username()

    async def acknowledge(self, tap: str | None) -> None:
        """Stop a tapped button's spinner (answerCallbackQuery), now."""
        if tap:
            await self.client.answer_callback(tap)

    def acknowledge_soon(self, tap: str | None) -> None:
        """The same, by the channel's own answering tasks, so the webhook's reply never waits
        for it. Long-lived tasks, not a task per request: answering from each request's
        background made a worker grow from 118 to 288 MB over 26,000 turns (docs/benchmarks.md)."""
        if not tap:
            return
        loop = asyncio.get_running_loop()
        if self._acks is None or self._acks_loop is not loop:
            self._acks, self._acks_loop = asyncio.Queue(maxsize=10_000), loop
            self._ack_tasks = [loop.create_task(self._answer_taps(self._acks)) for _ in range(ACK_TASKS)]
        try:
            self._acks.put_nowait(tap)
        except asyncio.QueueFull:
            # Telegram stops the spinner by itself after a while; nothing is lost.
            self.metrics.error(CHANNEL, "ack_dropped")

    async def _answer_taps(self, queue: asyncio.Queue[str]) -> None:
        while True:
            callback_id = await queue.get()
            try:
                await self.client.answer_callback(callback_id)
            except Exception as error:  # noqa: BLE001 - one failed answer must not stop the others
                log.warning("answering a tap failed: %s", type(error).__name__)
            finally:
                queue.task_done()

    async def close(self) -> None:
        """At shutdown: answer the taps still queued (for up to two seconds), stop the answering
        tasks, close the Bot API connections."""
        if self._acks is not None and self._acks_loop is asyncio.get_running_loop():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._acks.join(), 2.0)
            for task in self._ack_tasks:
                task.cancel()
            await asyncio.gather(*self._ack_tasks, return_exceptions=True)
        self._acks, self._acks_loop, self._ack_tasks = None, None, []
        await self.client.close()
