"""`puente telegram poll`: long polling for a laptop without a public URL. The same steps as
the webhook (parse -> conversation -> render -> send), every reply through the Bot API (an
outbox row kept with the turn), and the offset confirmed only once the batch is stored."""

from __future__ import annotations

import asyncio
import logging

from bot.channels.pacing import Pace
from bot.channels.port import Received, Unreachable
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.updates import Polled, fetch
from bot.conversation.inbox import Inbox
from bot.conversation.outbox import Outbox
from db.database import DatabaseUnavailable

log = logging.getLogger("puente.telegram")


class TelegramPoller:
    def __init__(self, channel: TelegramChannel, inbox: Inbox, pace: Pace | None = None, *,
                 outbox: Outbox, timeout: int = 30) -> None:
        self.channel = channel
        self.inbox = inbox
        self.outbox = outbox
        self.pace = pace or Pace()
        self.timeout = timeout
        self.offset: int | None = None

    async def run(self, batches: int | None = None) -> None:
        """Poll until cancelled (Ctrl-C), or for `batches` answers of getUpdates (tests)."""
        # Telegram refuses getUpdates while a webhook is set.
        await self.channel.client.delete_webhook()
        failures = 0
        done = 0
        while batches is None or done < batches:
            try:
                await self.process(await fetch(self.channel.client, self.offset, self.timeout))
                failures = 0
            except (Unreachable, DatabaseUnavailable) as error:
                # Telegram or the database is away: the same updates come again later.
                failures += 1
                backoff = self.pace.backoff
                delay = min(backoff.cap, backoff.base * backoff.factor ** failures)
                log.warning("polling paused %.0f s: %s", delay, type(error).__name__)
                await self.pace.sleep(delay)
            done += 1

    async def process(self, batch: list[Polled]) -> None:
        if not batch:
            return
        # Different users in parallel; one user's updates one after the other, each delivered
        # before the next turn runs, so the replies arrive in the order of the messages.
        by_chat: dict[int, list[Polled]] = {}
        for polled in batch:
            by_chat.setdefault(polled.chat, []).append(polled)
        results = await asyncio.gather(*(self._in_order(p) for p in by_chat.values()), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result  # the offset stays: the batch comes again (done ones are deduped)
        self.offset = max(polled.update_id for polled in batch) + 1

    async def _in_order(self, batch: list[Polled]) -> None:
        for polled in batch:
            if polled.received is not None:
                await self._one(polled.received)

    async def _one(self, received: Received) -> None:
        # No response to ride in: every reply is an outbox row kept with the turn.
        answer = await self.inbox.receive(received, self.inbox.planner(self.channel, received, respond=False))
        await self.channel.acknowledge(received.tap)
        await self.inbox.answer(self.channel, self.outbox, received, answer)
