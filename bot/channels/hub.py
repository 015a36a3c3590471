"""The channels of one process, built from Settings: Telegram and WhatsApp when configured,
the Notifier, opt-outs and metrics. A channel whose settings are absent is off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.channels.optout import OptOuts
from bot.channels.pacing import Pace
from bot.content.live import LiveContent
from bot.conversation import ConversationService
from bot.metrics import Metrics
from bot.notify import Notifier
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel
    from bot.channels.whatsapp import WhatsAppChannel


@dataclass
class Channels:
    settings: Settings
    metrics: Metrics
    optouts: OptOuts
    notifier: Notifier
    telegram: TelegramChannel | None = None
    whatsapp: WhatsAppChannel | None = None

    async def close(self) -> None:
        """Close the HTTP connection pools (at the web app's shutdown, or after a command)."""
        if self.telegram is not None:
            await self.telegram.close()
        if self.whatsapp is not None:
            await self.whatsapp.client.close()


def build_channels(
    settings: Settings,
    conversations: ConversationService,
    live: LiveContent,
    *,
    pace: Pace | None = None,
    metrics: Metrics | None = None,
) -> Channels:
    # The SDKs are imported here, inside bot/channels, and only for what is configured.
    from bot.channels.notifier import ChannelNotifier

    pace = pace or Pace()
    metrics = metrics or Metrics()
    optouts = OptOuts(conversations, conversations.db)
    telegram = whatsapp = None
    if settings.telegram_enabled:
        from bot.channels.telegram import TelegramChannel
        from bot.channels.telegram_api import TelegramClient

        telegram = TelegramChannel(conversations, optouts, TelegramClient(settings, pace), metrics)
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp import WhatsAppChannel
        from bot.channels.whatsapp_api import WhatsAppClient

        whatsapp = WhatsAppChannel(
            settings, conversations, optouts, WhatsAppClient(settings, pace), live, metrics
        )
    notifier = ChannelNotifier(
        conversations, optouts, metrics,
        telegram=telegram.client if telegram else None, whatsapp=whatsapp,
    )
    return Channels(settings, metrics, optouts, notifier, telegram, whatsapp)


def describe(settings: Settings) -> list[str]:
    """One line per channel for the start-up banner: on, or off and which setting is missing."""
    lines = []
    if not settings.telegram_enabled:
        lines.append("Telegram: off (set TELEGRAM_BOT_TOKEN)")
    elif not settings.telegram_webhook_enabled:
        lines.append(
            "Telegram: webhook off (set TELEGRAM_WEBHOOK_SECRET); `puente telegram poll` works without it"
        )
    else:
        lines.append("Telegram: on, POST /webhooks/telegram")
    missing = [
        name for name, value in (
            ("TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
            ("TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
            ("TWILIO_WHATSAPP_FROM", settings.twilio_whatsapp_from),
            ("PUBLIC_URL", settings.public_url),
        ) if not value
    ]
    if missing:
        lines.append(f"WhatsApp: off (set {', '.join(missing)})")
    else:
        lines.append("WhatsApp: on, POST /webhooks/whatsapp and /webhooks/whatsapp/status")
    return lines
