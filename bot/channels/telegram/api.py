"""Talking to the Telegram Bot API through python-telegram-bot: one Bot and one connection
pool per process (aiohttp underneath, http.py), retries that honour retry_after, and
the bot's messages-per-second budget."""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from typing import Any

from telegram import Bot, BotCommand, Update, WebhookInfo
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.channels.pacing import Backoff, Budget, Pace, retryable
from bot.channels.port import Sent
from bot.channels.telegram.http import AiohttpRequest, ConnectFailed
from bot.channels.telegram.render import TelegramMessage
from bot.settings import Settings

log = logging.getLogger("puente.telegram")

# Update kinds the bot reads; everything else Telegram keeps to itself.
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")


class PacedRequest(AiohttpRequest):
    """AiohttpRequest that tries again on 429 (waiting retry_after), on 5xx and on connections
    that failed before anything was sent, with exponential backoff; sendMessage calls also wait
    for the bot's token bucket."""

    def __init__(self, backoff: Backoff, pace: Pace, bucket: Budget | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._backoff = backoff
        self._pace = pace
        self._bucket = bucket

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        attempt = 0
        while True:
            attempt += 1
            if self._bucket is not None and url.endswith("/sendMessage"):
                await self._bucket.take()
            try:
                code, payload = await super().do_request(url, method, *args, **kwargs)
            except (TimedOut, NetworkError) as error:
                delay = self._backoff.delay(attempt) if _not_sent(error) else None
                if delay is None:
                    raise
                await self._pace.sleep(delay)
                continue
            if not retryable(code):
                return code, payload
            delay = self._backoff.delay(attempt, _retry_after(payload))
            if delay is None:
                return code, payload
            log.info("Bot API answered %s; trying again in %.1f s", code, delay)
            await self._pace.sleep(delay)


def _not_sent(error: TelegramError) -> bool:
    """Safe to repeat: the request never reached Telegram (no double message)."""
    return isinstance(error, ConnectFailed)


def _worth_another_try(error: TelegramError) -> bool:
    """Later, by the job queue: flood control, Telegram's 5xx, a connection never made. Not a
    refusal (400), and not a timeout: the message may have arrived, and none is sent twice."""
    if isinstance(error, RetryAfter):
        return True
    if isinstance(error, TimedOut | BadRequest):
        return False
    return isinstance(error, NetworkError)


def _asked_wait(error: TelegramError) -> float | None:
    if not isinstance(error, RetryAfter):
        return None
    with warnings.catch_warnings():
        # python-telegram-bot warns that retry_after becomes a timedelta; both are read here.
        warnings.simplefilter("ignore")
        value: object = error.retry_after
    seconds = getattr(value, "total_seconds", None)
    if seconds is not None:
        return float(seconds())
    return float(value) if isinstance(value, int | float) else None


def _retry_after(payload: bytes) -> float | None:
    try:
        value = json.loads(payload).get("parameters", {}).get("retry_after")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None


class TelegramClient:
    def __init__(self, settings: Settings, pace: Pace | None = None) -> None:
        self.settings = settings
        self.pace = pace or Pace()
        self._bot: Bot | None = None
        self._requests: tuple[AiohttpRequest, ...] = ()
        self._loop: asyncio.AbstractEventLoop | None = None
        # The bot's id (the token's part before ":", not secret) names its shared budgets.
        bot_id = settings.telegram_bot_token.split(":", 1)[0]
        self.bucket = self.pace.budget(f"telegram:{bot_id}", float(settings.telegram_messages_per_second))
        # Telegram asks for at most about one message per second in one chat when the bot
        # writes first (alerts); replies to the user's own message are not held back.
        self.per_chat = self.pace.per_key(f"telegram:{bot_id}:chat", 1.0)
        # The bot's @username (getMe), asked once per process for referral links.
        self._username = ""

    @property
    def bot(self) -> Bot:
        """Built on first use inside the running event loop (its connection pool belongs to it)."""
        loop = asyncio.get_running_loop()
        if self._bot is None or self._loop is not loop:
            api = self.settings.telegram_api_url.rstrip("/")
            self._requests = (
                PacedRequest(
                    self.pace.backoff, self.pace, self.bucket, connection_pool_size=64, read_timeout=10.0
                ),
                AiohttpRequest(connection_pool_size=1, read_timeout=40.0),
            )
            self._bot = Bot(
                self.settings.telegram_bot_token,
                base_url=f"{api}/bot",
                base_file_url=f"{api}/file/bot",
                request=self._requests[0],
                get_updates_request=self._requests[1],
            )
            self._loop = loop
        return self._bot

    async def send(self, message: TelegramMessage, *, first: bool = False) -> Sent:
        """`first`: the bot writes first (an alert), so the per-chat pace applies."""
        if first:
            await self.per_chat.take(str(message.chat_id))
        try:
            sent = await self.bot.send_message(
                chat_id=message.chat_id, text=message.text, reply_markup=message.markup()
            )
        except Forbidden:
            return Sent("blocked", error="Forbidden")
        except TelegramError as error:
            log.warning("sendMessage failed: %s", type(error).__name__)
            return Sent("failed", error=type(error).__name__, retryable=_worth_another_try(error),
                        retry_after=_asked_wait(error))
        return Sent("sent", f"{message.chat_id}:{sent.message_id}")

    async def answer_callback(self, callback_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_id)
        except TelegramError as error:
            # Too old (over a minute) or already answered: the button just stops spinning later.
            log.info("answerCallbackQuery failed: %s", type(error).__name__)

    async def username(self) -> str | None:
        """The bot's username, asked from Telegram once (getMe); None when it cannot be asked now."""
        if not self._username:
            try:
                me = await self.bot.get_me()
            except TelegramError as error:
                log.warning("getMe failed: %s", type(error).__name__)
                return None
            self._username = me.username or ""
        return self._username or None

    async def set_commands(self, commands: dict[str | None, list[tuple[str, str]]]) -> None:
        """Commands per language code (None: everyone else)."""
        for language, pairs in commands.items():
            await self.bot.set_my_commands(
                [BotCommand(name, description) for name, description in pairs], language_code=language
            )

    async def set_webhook(self, url: str, secret: str) -> bool:
        return await self.bot.set_webhook(
            url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES), max_connections=40
        )

    async def delete_webhook(self) -> bool:
        return await self.bot.delete_webhook()

    async def webhook_info(self) -> WebhookInfo:
        return await self.bot.get_webhook_info()

    async def get_updates(self, offset: int | None, timeout: int) -> tuple[Update, ...]:
        return await self.bot.get_updates(
            offset=offset, timeout=timeout, allowed_updates=list(ALLOWED_UPDATES),
            read_timeout=timeout + 10,
        )

    async def close(self) -> None:
        if self._bot is not None and self._loop is asyncio.get_running_loop():
            for request in self._requests:
                await request.shutdown()
        self._bot, self._requests = None, ()
