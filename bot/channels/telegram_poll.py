"""Long polling (getUpdates) for a laptop without a public URL: the same turns as the webhook."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.channels.pacing import Pace
from bot.channels.telegram import TelegramChannel
from db.database import DatabaseUnavailable

log = logging.getLogger("puente.telegram")


class TelegramPoller:
    def __init__(self, channel: TelegramChannel, pace: Pace | None = None, *, timeout: int = 30) -> None:
        self.channel = channel
        self.client = channel.client
        self.pace = pace or Pace()
        self.timeout = timeout
        self.offset: int | None = None

    async def run(self, batches: int | None = None) -> None:
        """Poll until cancelled (Ctrl-C), or for `batches` answers of getUpdates (tests)."""
        # Telegram refuses getUpdates while a webhook is set.
        await self.client.delete_webhook()
        failures = 0
        done = 0
        while batches is None or done < batches:
            try:
                updates = await self.client.get_updates(self.offset, self.timeout)
                await self.process(updates)
                failures = 0
            except (NetworkError, DatabaseUnavailable) as error:
                # Telegram or the database is away: the same updates come again later.
                failures += 1
                backoff = self.pace.backoff
                delay = min(backoff.cap, backoff.base * backoff.factor ** failures)
                log.warning("polling paused %.0f s: %s", delay, type(error).__name__)
                await self.pace.sleep(delay)
            done += 1

    async def process(self, updates: tuple[Update, ...]) -> None:
        if not updates:
            return
        # Different users in parallel; one user's updates one after the other, each delivered
        # before the next turn runs, so the replies arrive in the order of the messages.
        by_user: dict[object, list[Update]] = {}
        for update in updates:
            chat = update.effective_chat
            by_user.setdefault(chat.id if chat else update.update_id, []).append(update)
        results = await asyncio.gather(*(self._in_order(u) for u in by_user.values()), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result  # the offset stays: the batch comes again (done ones are deduped)
        self.offset = max(update.update_id for update in updates) + 1

    async def _in_order(self, updates: list[Update]) -> None:
        for update in updates:
            await self._one(update)

    async def _one(self, update: Update) -> None:
        try:
            plan = await self.channel.receive_update(update)
        except DatabaseUnavailable:
            raise
        except TelegramError as error:
            log.error("update %s skipped: %s", update.update_id, type(error).__name__)
            return
        await self.channel.deliver(plan, keep_last=False)
