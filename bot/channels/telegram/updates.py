"""Long polling (getUpdates) for a laptop without a public URL: a batch of updates, each read
as the webhook reads it. The turns run above the channel (bot/polling.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.channels.port import Received, Unreachable
from bot.channels.telegram.api import TelegramClient
from bot.channels.telegram.inbound import read_update

log = logging.getLogger("puente.telegram")


@dataclass(frozen=True)
class Polled:
    update_id: int
    # Updates of one chat are handled one after the other (the update id when there is none).
    chat: int
    # None: an update that could not be read (skipped).
    received: Received | None


async def fetch(client: TelegramClient, offset: int | None, timeout: int) -> list[Polled]:
    """The next batch. Raises Unreachable while Telegram cannot be reached."""
    try:
        updates = await client.get_updates(offset, timeout)
    except NetworkError as error:
        raise Unreachable(type(error).__name__) from error
    return [_polled(update) for update in updates]


def _polled(update: Update) -> Polled:
    chat = update.effective_chat
    try:
        received: Received | None = read_update(update)
    except TelegramError as error:
        log.error("update %s skipped: %s", update.update_id, type(error).__name__)
        received = None
    return Polled(update.update_id, chat.id if chat else update.update_id, received)
