"""The bot's command list (the "/" menu in Telegram), described in each user's language."""

from __future__ import annotations

from bot.engine import CompiledContent
from bot.languages import SOURCE_LANGUAGE

# Command -> system message describing it. /start is Telegram's own; the others are turned
# into command words the engine understands (inbound.COMMAND_WORDS).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "command_start"),
    ("menu", "command_menu"),
    ("help", "command_help"),
    ("language", "command_language"),
    ("back", "command_back"),
    ("delete", "command_delete"),
)


def command_lists(content: CompiledContent) -> dict[str | None, list[tuple[str, str]]]:
    """{language code: [(command, description)]}; None is for every other language (Spanish)."""
    lists: dict[str | None, list[tuple[str, str]]] = {}
    for code in (None, *content.languages):
        lang = code or SOURCE_LANGUAGE
        lists[code] = [
            (name, content.messages[key].get(lang)[0][:256]) for name, key in COMMANDS
        ]
    return lists
