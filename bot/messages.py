"""Channel-neutral message types: what a channel hands the bot and what the bot hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


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
