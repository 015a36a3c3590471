"""The Telegram channel: an update in, a turn, replies out (the last one in the webhook's
response body when there is a webhook, everything through the Bot API when polling)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from bot.channels.optout import OptOuts
from bot.channels.telegram_api import TelegramClient
from bot.channels.telegram_inbound import CHANNEL, TelegramEvent, parse_update, read_common, read_update
from bot.channels.telegram_render import TelegramMessage, render
from bot.conversation import ConversationService
from bot.metrics import Metrics

log = logging.getLogger("puente.telegram")

# Tasks answering tapped buttons (answerCallbackQuery) after the webhook replied.
ACK_TASKS = 4


@dataclass
class TelegramPlan:
    """What to do after an update was processed (and its turn stored)."""

    event: TelegramEvent
    messages: list[TelegramMessage] = field(default_factory=list)


class TelegramChannel:
    name = CHANNEL

    def __init__(
        self,
        conversations: ConversationService,
        optouts: OptOuts,
        client: TelegramClient,
        metrics: Metrics,
    ) -> None:
        self.conversations = conversations
        self.optouts = optouts
        self.client = client
        self.metrics = metrics
        self._acks: asyncio.Queue[str] | None = None
        self._acks_loop: asyncio.AbstractEventLoop | None = None
        self._ack_tasks: list[asyncio.Task[None]] = []

    async def receive(self, data: Any) -> TelegramPlan:
        """Run the update's turn. Raises MalformedUpdate (400) or DatabaseUnavailable (503)."""
        event = read_common(data)
        return await self.receive_event(event if event is not None else read_update(parse_update(data)))

    async def receive_update(self, update: Update) -> TelegramPlan:
        return await self.receive_event(read_update(update))

    async def receive_event(self, event: TelegramEvent) -> TelegramPlan:
        if event.member is not None and event.chat_id is not None:
            # Blocked (or unblocked) the bot: never (or again) message them first.
            await self.optouts.mark(
                CHANNEL, str(event.chat_id), not event.member, external_id=str(event.update_id)
            )
            return TelegramPlan(event)
        if event.inbound is None or event.chat_id is None:
            return TelegramPlan(event)
        started = time.perf_counter()
        outcome = await self.conversations.handle(event.inbound)
        self.metrics.turn(CHANNEL, time.perf_counter() - started, failed=outcome.failed)
        if outcome.duplicate:
            return TelegramPlan(event)
        return TelegramPlan(event, render(event.chat_id, outcome.replies))

    async def acknowledge(self, plan: TelegramPlan) -> None:
        """Stop a tapped button's spinner (answerCallbackQuery), now."""
        if plan.event.callback_id:
            await self.client.answer_callback(plan.event.callback_id)

    def acknowledge_soon(self, plan: TelegramPlan) -> None:
        """The same, by the channel's own answering tasks, so the webhook's reply never waits
        for it. Long-lived tasks, not a task per request: answering from each request's
        background made a worker grow from 118 to 288 MB over 26,000 turns (docs/benchmarks.md)."""
        if not plan.event.callback_id:
            return
        loop = asyncio.get_running_loop()
        if self._acks is None or self._acks_loop is not loop:
            self._acks, self._acks_loop = asyncio.Queue(maxsize=10_000), loop
            self._ack_tasks = [loop.create_task(self._answer_taps(self._acks)) for _ in range(ACK_TASKS)]
        try:
            self._acks.put_nowait(plan.event.callback_id)
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

    async def deliver(self, plan: TelegramPlan, *, keep_last: bool, acknowledge: bool = True) -> TelegramMessage | None:
        """Send the replies in order. With `keep_last`, the last one is returned instead, for
        the webhook response body (Telegram runs it after the ones sent here: order is kept).
        `acknowledge` False leaves answering a tapped button to the caller (`acknowledge`)."""
        if acknowledge:
            await self.acknowledge(plan)
        messages = list(plan.messages)
        kept = messages.pop() if keep_last and messages else None
        for message in messages:
            sent = await self.client.send(message)
            self.metrics.sent(CHANNEL, sent.status)
            if sent.status == "blocked":
                await self.optouts.mark(CHANNEL, str(message.chat_id), True)
                return None
            if sent.status != "sent":
                # The turn is stored; the rest would make no sense without this part.
                self.metrics.error(CHANNEL, "send_failed")
                return None
        return kept
