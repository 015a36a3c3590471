"""Channel-neutral message types: what a channel hands the bot and what the bot hands back, and
the `Notifier` port for messages the bot sends first (alerts, staff replies; the real one is
bot/conversation/notifier.py, reached as `app.notifier`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol


# An organization's referral code as it travels in links (Telegram's /start <code>, a WhatsApp
# prefilled message) and is stored (organizations.code): short, lowercase, no spaces.
REFERRAL_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{1,31}")


class Media(str, Enum):
    """Kinds of non-text messages a channel can deliver; the bot reads none of them."""

    PHOTO = "photo"
    VOICE = "voice"
    STICKER = "sticker"
    LOCATION = "location"
    DOCUMENT = "document"
    VIDEO = "video"
    CONTACT = "contact"
    OTHER = "other"


@dataclass(frozen=True)
class Inbound:
    """One message from a user, as any channel delivers it."""

    channel: str
    user_key: str
    text: str = ""
    # Payload of a tapped button (Telegram callback data, WhatsApp ButtonPayload/ListId).
    choice_id: str | None = None
    # What the platform says about the user's language: Telegram language_code, or a phone number.
    language_hint: str | None = None
    phone: str | None = None
    external_id: str | None = None
    media: Media | None = None
    # Deep-link or referral code (a shelter's QR poster), kept on the contact.
    referral: str | None = None
    # True for a channel's "start" command (Telegram /start), which begins at the welcome.
    is_start: bool = False


@dataclass(frozen=True)
class Choice:
    """A button or numbered option. `id` is what comes back when tapped (<= 64 bytes)."""

    id: str
    label: str


@dataclass(frozen=True)
class Outbound:
    """One message to a user; `choices` render as buttons or a numbered list."""

    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)

    def with_choices(self, choices: tuple[Choice, ...]) -> Outbound:
        return Outbound(self.text, choices)


# -- messages the bot sends first ------------------------------------------------------------

@dataclass(frozen=True)
class Template:
    """An approved WhatsApp template (Twilio ContentSid) for use outside the 24-hour window."""

    content_sid: str
    variables: Mapping[str, str] = field(default_factory=dict)


class DeliveryStatus(str, Enum):
    SENT = "sent"
    NOT_SENDABLE = "not_sendable"  # outside WhatsApp's 24-hour window and no template
    OPTED_OUT = "opted_out"        # STOP on WhatsApp, or the Telegram bot was blocked
    FAILED = "failed"


@dataclass(frozen=True)
class Delivery:
    status: DeliveryStatus
    detail: str = ""
    # FAILED for now (refused, or waiting behind an earlier message), but kept and sent at
    # this moment (the outbox; bot/jobs/ runs the tries).
    retry_at: dt.datetime | None = None


class Notifier(Protocol):
    """Sends what the bot writes first. A contact the platform reports as opted out (STOP,
    a blocked bot) is marked opted out by the notifier before it answers OPTED_OUT."""

    async def send(
        self,
        contact_id: int,
        messages: Sequence[Outbound],
        *,
        template: Template | None = None,
        kind: str = "alert",
    ) -> Delivery: ...
