"""`puente chat`: talk to the bot in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.languages import LANGUAGES
from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in this terminal (or replay lines from a pipe)")
    parser.add_argument("--lang", choices=LANGUAGES, help="answer in this language (skips the language question)")
    parser.add_argument("--user", default="console", help="who you are: each user has their own conversation")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_app
    from bot.channels.console import ConsoleChat

    app = build_app(settings)
    try:
        asyncio.run(ConsoleChat(app.conversations, args.user, sys.stdin, sys.stdout).run(args.lang))
    finally:
        app.close()
    return 0
