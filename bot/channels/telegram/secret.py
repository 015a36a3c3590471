"""The webhook's secret: Telegram sends TELEGRAM_WEBHOOK_SECRET (given to setWebhook) in the
X-Telegram-Bot-Api-Secret-Token header of every update; anything else is not from Telegram."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

HEADER = "x-telegram-bot-api-secret-token"


class SecretToken:
    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def valid(self, headers: Mapping[str, str]) -> bool:
        """Compared in constant time; no secret configured means nothing is valid."""
        given = headers.get(HEADER, "").encode()
        return bool(self._secret) and hmac.compare_digest(given, self._secret)
