"""Channel settings: what is on and off, mistakes named with their fix, secrets kept out of logs."""

from __future__ import annotations

import pytest

from bot.channels.configured import describe
from bot.channels.telegram.inbound import read_update, parse_update
from bot.settings import Settings, SettingsError, content_sids
from tests.channels.drivers import load_update

FULL = {
    "PUBLIC_URL": "https://puente.example.org",
    "TELEGRAM_BOT_TOKEN": "123:secret-token",
    "TELEGRAM_WEBHOOK_SECRET": "webhook_secret-1",
    "TWILIO_ACCOUNT_SID": "AC123",
    "TWILIO_AUTH_TOKEN": "twilio-secret",
    "TWILIO_WHATSAPP_FROM": "+14155238886",
}


def test_everything_configured_is_on() -> None:
    settings = Settings.from_mapping(FULL)
    assert settings.telegram_webhook_enabled and settings.whatsapp_webhook_enabled
    assert describe(settings) == [
        "Telegram: on, POST /webhooks/telegram",
        "WhatsApp: on, POST /webhooks/whatsapp and /webhooks/whatsapp/status",
    ]


def test_missing_settings_turn_a_channel_off_and_are_named() -> None:
    assert describe(Settings.from_mapping({})) == [
        "Telegram: off (set TELEGRAM_BOT_TOKEN)",
        "WhatsApp: off (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM, PUBLIC_URL)",
    ]
    no_secret = {k: v for k, v in FULL.items() if k not in ("TELEGRAM_WEBHOOK_SECRET", "PUBLIC_URL")}
    lines = describe(Settings.from_mapping(no_secret))
    assert lines[0].startswith("Telegram: webhook off (set TELEGRAM_WEBHOOK_SECRET)")
    assert lines[1] == "WhatsApp: off (set PUBLIC_URL)"


def test_secrets_never_appear_in_the_settings_repr() -> None:
    shown = repr(Settings.from_mapping(FULL))
    for secret in ("123:secret-token", "webhook_secret-1", "twilio-secret"):
        assert secret not in shown


@pytest.mark.parametrize(("name", "value", "message"), [
    ("TELEGRAM_WEBHOOK_SECRET", "has spaces!", "letters, digits, _ and -"),
    ("PUBLIC_URL", "puente.example.org", "must start with https://"),
    ("TWILIO_QUICK_REPLY_SIDS", "2:HX12", "should look like 3=HX0123"),
    ("TWILIO_LIST_PICKER_SIDS", "5=XX12", "should look like 3=HX0123"),
    ("WHATSAPP_MESSAGES_PER_SECOND", "0", "at least 1"),
    ("TELEGRAM_BOT_USERNAME", "@PuenteMxBot", "written without @"),
    ("TELEGRAM_BOT_USERNAME", "Puente", "ending in 'bot'"),
])
def test_configuration_mistakes_name_the_variable_and_the_fix(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as error:
        Settings.from_mapping({**FULL, name: value})
    assert name in str(error.value)


def test_content_sids_per_number_of_options() -> None:
    assert content_sids("2=HXaa, 3=HXbb,") == {2: "HXaa", 3: "HXbb"}
    assert content_sids("") == {}


def test_telegram_commands_become_words_and_the_bot_name_is_dropped() -> None:
    update = load_update("text.json")
    update["message"]["text"] = "/help@PuenteMxBot"
    event = read_update(parse_update(update))
    assert event.inbound is not None and event.inbound.text == "help"
    update["message"]["text"] = "/delete"
    assert read_update(parse_update(update)).inbound.text == "delete my data"  # type: ignore[union-attr]
    update["message"]["text"] = "/start"
    start = read_update(parse_update(update)).inbound
    assert start is not None and start.is_start and start.referral is None
