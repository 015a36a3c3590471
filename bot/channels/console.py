"""Chat with the bot in a terminal, or replay a conversation from a pipe (one message per line)."""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.conversation import ConversationService
from bot.messages import Inbound, Outbound

CHANNEL = "console"


def render(reply: Outbound) -> str:
    lines = [reply.text] if reply.text else []
    lines += [f"  {number}. {choice.label}" for number, choice in enumerate(reply.choices, start=1)]
    return "\n".join(lines)


class ConsoleChat:
    def __init__(self, service: ConversationService, user: str, stdin: TextIO, stdout: TextIO) -> None:
        self.service = service
        self.user = user
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()

    def show(self, replies: list[Outbound]) -> None:
        for reply in replies:
            self.stdout.write("\n" + "\n".join("  " + line for line in render(reply).splitlines()) + "\n")
        self.stdout.flush()

    async def send(self, inbound: Inbound) -> None:
        outcome = await self.service.handle(inbound)
        self.show(outcome.replies)

    async def run(self, language: str | None = None) -> None:
        known = self.service.is_known(CHANNEL, self.user)
        if language:
            self.service.preset_language(CHANNEL, self.user, language)
        if language or not known:
            await self.send(Inbound(CHANNEL, self.user, is_start=True))
        elif self.interactive:
            self.stdout.write("(Conversation resumed. Type 'menu' for the main menu.)\n")
        while True:
            if self.interactive:
                self.stdout.write("\n> ")
                self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                break
            text = line.rstrip("\r\n")
            if not self.interactive:
                self.stdout.write(f"\n> {text}\n")
            if text.strip() in ("/quit", "/exit"):
                break
            await self.send(Inbound(CHANNEL, self.user, text=text))
        if self.interactive:
            self.stdout.write("\n")
