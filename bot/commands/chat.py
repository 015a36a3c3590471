"""`puente chat`: talk to the bot in the terminal, or replay a conversation from a pipe (one
message per line)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, TextIO

from bot.channels import console
from bot.languages import LANGUAGES
from bot.messages import Inbound, Outbound
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.conversation.service import ConversationService


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in this terminal (or replay lines from a pipe)")
    parser.add_argument("--lang", choices=LANGUAGES, help="answer in this language (skips the language question)")
    parser.add_argument("--user", default="console", help="who you are: each user has their own conversation")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_app

    app = build_app(settings)
    try:
        asyncio.run(ConsoleChat(app.conversations, args.user, sys.stdin, sys.stdout).run(args.lang))
    finally:
        app.close()
    return 0


class ConsoleChat:
    """Lines from the terminal through the conversation, replies back to it."""

    def __init__(self, service: ConversationService, user: str, stdin: TextIO, stdout: TextIO) -> None:
        self.service = service
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()

    def show(self, replies: list[Outbound]) -> None:
        self.stdout.write(console.show(replies))
        self.stdout.flush()

    async def send(self, inbound: Inbound) -> None:
        outcome = await self.service.handle(inbound)
        self.show(outcome.replies)

    async def run(self, language: str | None = None) -> None:
        known = self.service.is_known(console.CHANNEL, self.user)
        if language:
            self.service.preset_language(console.CHANNEL, self.user, language)
        if language or not known:
            await self.send(Inbound(console.CHANNEL, self.user, is_start=True))
        elif self.interactive:
            self.stdout.write("(Conversation resumed. Type 'menu' for the main menu.)\n")
        while True:
            if self.interactive:
                self.stdout.write("\n> ")
                self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                break
            if not self.interactive:
                typed = line.rstrip("\r\n")
                self.stdout.write(f"\n> {typed}\n")
            inbound = console.parse(self.user, line)
            if inbound is None:
                break
            await self.send(inbound)
        if self.interactive:
            self.stdout.write("\n")
