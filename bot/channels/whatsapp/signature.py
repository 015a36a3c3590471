"""X-Twilio-Signature: Twilio signs PUBLIC_URL + path (+ query) and the form fields with the
account's auth token; twilio's RequestValidator checks it."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator

from bot.settings import Settings

HEADER = "x-twilio-signature"


class Signature:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.validator = RequestValidator(settings.twilio_auth_token)

    def valid(self, path_and_query: str, form: Mapping[str, str], signature: str) -> bool:
        if not signature:
            return False
        return bool(self.validator.validate(self.settings.public(path_and_query), dict(form), signature))
