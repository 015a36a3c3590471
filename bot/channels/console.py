"""The terminal as a channel: a typed line as an Inbound, replies as text with numbered options.
The chat loop that runs the turns is `puente chat` (bot/commands/chat.py)."""

from __future__ import annotations

from bot.messages import Inbound, Outbound

CHANNEL = "console"
QUIT = ("/quit", "/exit")


def parse(user: str, line: str) -> Inbound | None:
    """The message a typed line is; None for /quit or /exit."""
    text = line.rstrip("\r\n")
    if text.strip() in QUIT:
        return None
    return Inbound(CHANNEL, user, text=text)


def render(reply: Outbound) -> str:
    lines = [reply.text] if reply.text else []
    lines += [f"  {number}. {choice.label}" for number, choice in enumerate(reply.choices, start=1)]
    return "\n".join(lines)


def show(replies: list[Outbound]) -> str:
    """The replies as the terminal shows them, indented under the user's line."""
    indented = ("\n".join("  " + line for line in render(reply).splitlines()) for reply in replies)
    return "".join(f"\n{text}\n" for text in indented)
