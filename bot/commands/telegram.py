"""`puente telegram set-webhook | delete-webhook | info | poll`: wiring the bot to Telegram."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.app import App
    from bot.channels.telegram.api import TelegramClient

WEBHOOK_PATH = "/webhooks/telegram"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("telegram", help="Telegram: set the webhook and commands, or poll from a laptop")
    inner = parser.add_subparsers(dest="telegram_command", required=True)
    inner.add_parser(
        "set-webhook", help="point Telegram at PUBLIC_URL/webhooks/telegram and set the command list"
    ).set_defaults(run=run_set_webhook)
    inner.add_parser("delete-webhook", help="stop Telegram from calling the webhook").set_defaults(
        run=run_delete_webhook
    )
    inner.add_parser("info", help="what Telegram knows about the webhook (URL, pending updates, last error)").set_defaults(
        run=run_info
    )
    poll = inner.add_parser("poll", help="fetch updates with long polling (no public URL needed)")
    poll.add_argument("--timeout", type=int, default=30, help="seconds Telegram holds each getUpdates")
    poll.set_defaults(run=run_poll)


def _check(settings: Settings, *, webhook: bool = False) -> str | None:
    if not settings.telegram_bot_token:
        return "TELEGRAM_BOT_TOKEN is not set (ask @BotFather for one)"
    if webhook and not settings.public_url.startswith("https://"):
        return "PUBLIC_URL must be the https:// address Telegram can reach (Telegram needs HTTPS)"
    if webhook and not settings.telegram_webhook_secret:
        return "TELEGRAM_WEBHOOK_SECRET is not set (letters, digits, _ and -; the webhook refuses requests without it)"
    return None


def _run(settings: Settings, body: Callable[[App], Awaitable[int]], *, webhook: bool = False) -> int:
    """Check the settings the command needs (exit 2 with the reason), then run `body` on the app."""
    from bot.app import build_app

    problem = _check(settings, webhook=webhook)
    if problem:
        print(problem)
        return 2

    # Migrating is idempotent and cheap; the app reads the published content from the database.
    app = build_app(settings)

    async def main() -> int:
        try:
            return int(await body(app))
        finally:
            await app.aclose()

    try:
        return asyncio.run(main())
    finally:
        app.close()


# A person waits at the terminal: one quick second try, not the five a message gets (7.5 s).
ASKING = 2


def _with_client(settings: Settings, body: Callable[[TelegramClient], Awaitable[int]]) -> int:
    """Check the token, then run `body` with a Bot API client alone: commands that only ask
    Telegram something need no database, content or models (the whole app took ~1.5 s)."""
    from bot.channels.telegram.api import TelegramClient

    problem = _check(settings)
    if problem:
        print(problem)
        return 2
    client = _asking(TelegramClient(settings))

    async def main() -> int:
        try:
            return int(await body(client))
        finally:
            await client.close()

    return asyncio.run(main())


def _asking(client: TelegramClient) -> TelegramClient:
    """A Bot API client trying as a command asking Telegram does (ASKING times), set before its
    first request: the one of `_with_client`, or the app's for the commands that need the app."""
    from dataclasses import replace

    from bot.channels.pacing import Backoff

    client.pace = replace(client.pace, backoff=Backoff(attempts=ASKING))
    return client


def _client(app: App) -> TelegramClient:
    assert app.channels.telegram is not None  # TELEGRAM_BOT_TOKEN was checked
    return _asking(app.channels.telegram.client)


def _failed(error: Exception) -> int:
    from bot.channels.telegram.http import out_of_reach

    if out_of_reach(error):
        print(f"Telegram could not be reached ({error}); check the network or TELEGRAM_API_URL")
    else:
        print(f"Telegram refused: {error}")
    return 1


def run_set_webhook(args: argparse.Namespace, settings: Settings) -> int:
    async def body(app: App) -> int:
        from bot.channels.telegram.commands import command_lists

        client = _client(app)
        url = settings.public(WEBHOOK_PATH)
        try:
            await client.set_webhook(url, settings.telegram_webhook_secret)
            commands = command_lists(app.live.content)
            await client.set_commands(commands)
        except Exception as error:  # noqa: BLE001 - any refusal is reported, not a traceback
            return _failed(error)
        print(f"webhook set: {url}")
        print("commands set for: " + ", ".join(code or "everyone else" for code in commands))
        return 0

    return _run(settings, body, webhook=True)


def run_delete_webhook(args: argparse.Namespace, settings: Settings) -> int:
    async def body(client: TelegramClient) -> int:
        try:
            await client.delete_webhook()
        except Exception as error:  # noqa: BLE001
            return _failed(error)
        print("webhook deleted")
        return 0

    return _with_client(settings, body)


def run_info(args: argparse.Namespace, settings: Settings) -> int:
    async def body(client: TelegramClient) -> int:
        try:
            info = await client.webhook_info()
        except Exception as error:  # noqa: BLE001
            return _failed(error)
        print(f"webhook: {info.url or '(none: polling or not set)'}")
        print(f"pending updates: {info.pending_update_count}")
        if info.last_error_message:
            print(f"last error: {info.last_error_message}")
        return 0

    return _with_client(settings, body)


def run_poll(args: argparse.Namespace, settings: Settings) -> int:
    async def body(app: App) -> int:
        from bot.channels.telegram.commands import command_lists
        from bot.polling import TelegramPoller

        channel = app.channels.telegram
        assert channel is not None
        # The first request tries as a command asking Telegram does (out of reach: said soon);
        # the messages sent while polling then get the channel's own tries again.
        pace = channel.client.pace
        try:
            await _asking(channel.client).set_commands(command_lists(app.live.content))
        except Exception as error:  # noqa: BLE001
            return _failed(error)
        finally:
            channel.client.pace = pace
        print("Polling Telegram (the webhook is removed while polling); Ctrl-C to stop.", flush=True)
        await TelegramPoller(channel, app.inbox, outbox=app.outbox, timeout=args.timeout).run()
        return 0

    try:
        return _run(settings, body)
    except KeyboardInterrupt:
        print("stopped")
        return 0
