"""Scripted chats (the format of tests/chats) played end to end through each webhook, in every
language: real update JSON / Twilio form posts in, replies read from the fake platforms."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from tests.channels.drivers import TelegramUser, WhatsAppUser
from tests.channels.fakes import FakePlatforms
from tests.support.chat import Script, load_scripts, play
from tests.support.clock import FakeClock

HERE = Path(__file__).parent / "chats"
TELEGRAM = load_scripts(HERE / "telegram")
WHATSAPP = load_scripts(HERE / "whatsapp")


@pytest.mark.parametrize("script", TELEGRAM, ids=[s.name for s in TELEGRAM])
def test_telegram_chat(script: Script, channel_app: App, web: str, platforms: FakePlatforms, clock: FakeClock) -> None:
    user = TelegramUser(channel_app, web, platforms, clock, language_code=script.data.get("hint"))
    play(script, user)  # type: ignore[arg-type]


@pytest.mark.parametrize("script", WHATSAPP, ids=[s.name for s in WHATSAPP])
def test_whatsapp_chat(script: Script, channel_app: App, web: str, platforms: FakePlatforms, clock: FakeClock) -> None:
    user = WhatsAppUser(channel_app, web, platforms, clock, number=script.data.get("phone", "+5215512345678"))
    play(script, user)  # type: ignore[arg-type]


@pytest.mark.parametrize("scripts", [TELEGRAM, WHATSAPP], ids=["telegram", "whatsapp"])
def test_every_language_has_a_script_on_each_channel(scripts: list[Script]) -> None:
    assert {s.path.stem for s in scripts} == {"es", "ht", "fr", "en", "pt"}
