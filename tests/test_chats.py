"""Scripted conversations (tests/chats/**.yaml) played end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import App
from tests.support.chat import Chat, Script, load_scripts, play
from tests.support.clock import FakeClock

SCRIPTS = load_scripts(Path(__file__).parent / "chats")


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_scripted_chat(script: Script, app: App, loop: asyncio.AbstractEventLoop, clock: FakeClock) -> None:
    chat = Chat(
        app, loop, clock,
        channel=script.data.get("channel", "console"),
        user=f"user-{abs(hash(script.name))}",
        hint=script.data.get("hint"),
        phone=script.data.get("phone"),
    )
    play(script, chat)


def test_every_language_has_a_core_script() -> None:
    languages = {s.path.stem for s in SCRIPTS if s.path.parent.name == "core"}
    assert languages == {"es", "ht", "fr", "en", "pt"}
