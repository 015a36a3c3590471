"""An organization's referral links: Telegram's deep link (/start <code>) and WhatsApp's
click-to-chat link whose prefilled first message carries the code; a poster's QR code is one
of them. A person who arrives through one is attached to the organization (contacts.referral)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from bot.app import App
from bot.channels.whatsapp.referral import prefilled_message
from bot.settings import Settings

# The order of a poster's choices: WhatsApp is what most people in Mexico use.
CHANNELS = ("whatsapp", "telegram")
CHANNEL_NAMES = {"whatsapp": "WhatsApp", "telegram": "Telegram"}


@dataclass(frozen=True)
class ReferralLink:
    channel: str
    # What the QR code carries.
    url: str
    # Where to write without scanning, and what to write so the code still counts.
    address: str
    typed: str

    @property
    def channel_name(self) -> str:
        return CHANNEL_NAMES[self.channel]


async def telegram_username(app: App) -> str | None:
    """TELEGRAM_BOT_USERNAME, else the bot's username asked from Telegram once per process."""
    if app.settings.telegram_bot_username:
        return app.settings.telegram_bot_username
    channel = app.channels.telegram
    return await channel.bot_username() if channel is not None else None


def whatsapp_number(settings: Settings) -> str | None:
    """TWILIO_WHATSAPP_FROM's digits, as wa.me wants them (no +, no spaces)."""
    number = settings.twilio_whatsapp_from.removeprefix("whatsapp:").strip().removeprefix("+")
    return number if number.isdigit() and 7 <= len(number) <= 15 else None


async def referral_links(app: App, code: str) -> dict[str, ReferralLink]:
    """The links a deployment can offer now, by channel; a channel without its setting has none."""
    links: dict[str, ReferralLink] = {}
    number = whatsapp_number(app.settings)
    if number:
        message = prefilled_message(code)
        links["whatsapp"] = ReferralLink("whatsapp", f"https://wa.me/{number}?text={quote(message, safe='')}",
                                         f"+{number}", message)
    username = await telegram_username(app)
    if username:
        links["telegram"] = ReferralLink("telegram", f"https://t.me/{username}?start={code}", f"@{username}",
                                         f"/start {code}")
    return {channel: links[channel] for channel in CHANNELS if channel in links}
