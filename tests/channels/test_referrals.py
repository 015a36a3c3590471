"""A person arrives through an organization's referral link: WhatsApp's prefilled first message
("Hola, vengo de #<code>") sets the referral like Telegram's /start <code>, and nothing else a
person writes ever does; the admin's t.me link asks Telegram for the bot's username once."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import App
from bot.channels.whatsapp.inbound import read_form
from bot.channels.whatsapp.referral import prefilled_message, referral_in
from bot.web.admin.referral_links import referral_links
from tests.channels.drivers import TelegramUser, WhatsAppUser
from tests.channels.fakes import FakePlatforms


@pytest.mark.parametrize(("body", "code"), [
    ("Hola, vengo de #albergue_tapachula", "albergue_tapachula"),
    ("hola vengo de #sne-chiapas", "sne-chiapas"),
    ("  HOLA,  vengo de #casa-tochan. ", "casa-tochan"),
    ("Hola, vengo de #casa1!", "casa1"),
])
def test_the_prefilled_message_carries_the_code(body: str, code: str) -> None:
    assert referral_in(body) == code
    assert referral_in(prefilled_message(code)) == code


@pytest.mark.parametrize("body", [
    "Hola, vengo de Honduras",             # what many people write on their own
    "Hola, vengo de honduras y busco trabajo",
    "vengo de #albergue",                  # not the prefilled form
    "Hola, vengo de #Albergue",            # a code is never capitalised
    "Hola, vengo de #albergue y necesito ayuda",
    "Hola, vengo de #albergue #otro",
    "Hola, vengo de #a",                   # too short for a code
    "Hola, vengo de #" + "a" * 40,         # too long
    "Hola, vengo de #albergue\nme llamo Ana",
    "hola",
    "#albergue",
    "",
])
def test_ordinary_messages_never_carry_a_code(body: str) -> None:
    assert referral_in(body) is None
    form = {"MessageSid": "SM" + "1" * 32, "From": "whatsapp:+5215512345678", "Body": body}
    inbound = read_form(form)
    assert inbound.referral is None and inbound.is_start is False and inbound.text == body


def test_a_tapped_button_or_a_photo_never_carries_a_code() -> None:
    base = {"MessageSid": "SM" + "2" * 32, "From": "whatsapp:+5215512345678", "Body": prefilled_message("casa")}
    assert read_form({**base, "ButtonPayload": "yes"}).referral is None
    assert read_form({**base, "NumMedia": "1", "MediaContentType0": "image/jpeg"}).referral is None


def test_a_code_is_a_link_code_or_nothing() -> None:
    with pytest.raises(ValueError):
        prefilled_message("Casa Tochan")


def test_the_prefilled_message_starts_the_conversation_and_keeps_the_code(whatsapp_user: WhatsAppUser) -> None:
    whatsapp_user.say(prefilled_message("albergue_tapachula"))
    assert whatsapp_user.contact().referral == "albergue_tapachula"  # type: ignore[union-attr]
    # Like Telegram's /start: the welcome, with the language question in every language.
    assert "¿En qué idioma" in whatsapp_user.text and "Nan ki lang" in whatsapp_user.text
    # The first code stays: a second poster does not move the person to another organization.
    whatsapp_user.say("Español")
    whatsapp_user.say(prefilled_message("casa-tochan"))
    assert whatsapp_user.contact().referral == "albergue_tapachula"  # type: ignore[union-attr]


def test_an_ordinary_first_message_keeps_no_code(whatsapp_user: WhatsAppUser) -> None:
    whatsapp_user.say("Hola, vengo de Honduras")
    assert whatsapp_user.contact().referral is None  # type: ignore[union-attr]
    assert whatsapp_user.last, "the bot answers as to any first message"


def test_telegram_and_whatsapp_codes_reach_the_same_column(telegram_user: TelegramUser, whatsapp_user: WhatsAppUser) -> None:
    telegram_user.send(is_start=True, referral="casa-tochan")
    whatsapp_user.send(is_start=True, referral="casa-tochan")
    assert telegram_user.contact().referral == whatsapp_user.contact().referral == "casa-tochan"  # type: ignore[union-attr]


def test_the_telegram_link_asks_telegram_for_the_username_once(channel_app: App, platforms: FakePlatforms,
                                                                loop: asyncio.AbstractEventLoop) -> None:
    async def twice() -> list[dict]:
        try:
            return [await referral_links(channel_app, "casa-tochan") for _ in range(2)]
        finally:
            await channel_app.aclose()

    first, second = loop.run_until_complete(twice())
    assert first["telegram"].url == second["telegram"].url == "https://t.me/PuenteMxBot?start=casa-tochan"
    assert first["whatsapp"].url == "https://wa.me/14155238886?text=Hola%2C%20vengo%20de%20%23casa-tochan"
    assert [c.method for c in platforms.calls].count("getMe") == 1


def test_the_links_come_from_the_settings_alone(app: App, loop: asyncio.AbstractEventLoop) -> None:
    """No Telegram token, no Twilio account: the username and the number are enough to print."""
    from dataclasses import replace

    app.settings = replace(app.settings, telegram_bot_username="PuenteMxBot", twilio_whatsapp_from="+52 1 55 1234 5678")
    links = loop.run_until_complete(referral_links(app, "casa"))
    assert links["telegram"].url == "https://t.me/PuenteMxBot?start=casa"
    assert "whatsapp" not in links  # a number with spaces is not what Twilio sends from: no guessing
    app.settings = replace(app.settings, twilio_whatsapp_from="+5215512345678")
    links = loop.run_until_complete(referral_links(app, "casa"))
    assert list(links) == ["whatsapp", "telegram"]
    assert links["whatsapp"].url.startswith("https://wa.me/5215512345678?text=Hola%2C%20vengo%20de%20%23casa")
