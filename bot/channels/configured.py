"""Which channels the settings turn on: one line each for the start-up banner (a channel
whose settings are absent is off, and the line names what is missing)."""

from __future__ import annotations

from bot.settings import Settings


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
