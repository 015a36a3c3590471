"""Twilio's WhatsApp webhook forms: a message as a channel-neutral Inbound (a poster's prefilled
first message as a start with its referral code: referral.py), the STOP / START keywords, and
delivery status reports."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl

from bot.channels.port import DeliveryReport, Malformed, WebhookCall
from bot.channels.whatsapp.referral import referral_in
from bot.messages import Inbound, Media

CHANNEL = "whatsapp"

# Whole-message keywords, any case (the words carriers and Twilio use for SMS opt-out).
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE"})
START_WORDS = frozenset({"START", "UNSTOP", "SUBSCRIBE"})

# Twilio's MessageType for WhatsApp, then the media content type as a fallback.
_MESSAGE_TYPES = {
    "image": Media.PHOTO,
    "sticker": Media.STICKER,
    "audio": Media.VOICE,
    "voice": Media.VOICE,
    "video": Media.VIDEO,
    "document": Media.DOCUMENT,
    "location": Media.LOCATION,
    "contacts": Media.CONTACT,
    "contact": Media.CONTACT,
}
_CONTENT_TYPES = (
    ("image/webp", Media.STICKER),
    ("image/", Media.PHOTO),
    ("audio/", Media.VOICE),
    ("video/", Media.VIDEO),
    ("text/vcard", Media.CONTACT),
    ("text/x-vcard", Media.CONTACT),
    ("application/", Media.DOCUMENT),
    ("text/", Media.DOCUMENT),
)


# Twilio error 21610: the recipient replied STOP; Twilio refuses to message them.
UNSUBSCRIBED = 21610


class MalformedForm(Malformed):
    """The form is not a Twilio WhatsApp message (answered with 400)."""


class MalformedStatus(Malformed):
    """A status callback without MessageSid / MessageStatus (answered with 400)."""


def decode_form(call: WebhookCall) -> dict[str, str] | None:
    """The form Twilio posts (application/x-www-form-urlencoded, UTF-8), or None if it is not one."""
    if not call.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    if call.body is None:
        return None
    try:
        return dict(parse_qsl(call.body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
    except ValueError:  # includes UnicodeDecodeError
        return None


def read_form(form: Mapping[str, str]) -> Inbound:
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    sender = form.get("From", "")
    if not sid or not sender.startswith("whatsapp:"):
        raise MalformedForm("MessageSid and a whatsapp: sender are required")
    # A tapped quick reply or list item: its id (ButtonPayload / ListId) is the choice.
    choice = form.get("ButtonPayload") or form.get("ListId") or None
    media = None if choice else _media(form)
    body = form.get("Body", "")
    referral = None if choice or media else referral_in(body)
    if referral:
        # A poster's link: like Telegram's /start <code>, the welcome (the language question
        # at first contact) and the code kept on the contact.
        return Inbound(CHANNEL, sender[:128], phone=sender, external_id=sid[:128], referral=referral,
                       is_start=True)
    return Inbound(
        CHANNEL,
        sender[:128],
        text=body,
        choice_id=choice,
        phone=sender,
        external_id=sid[:128],
        media=media,
    )


def _media(form: Mapping[str, str]) -> Media | None:
    kind = form.get("MessageType", "").lower()
    if kind in _MESSAGE_TYPES:
        return _MESSAGE_TYPES[kind]
    if form.get("Latitude") and form.get("Longitude"):
        return Media.LOCATION
    if _count(form.get("NumMedia")) > 0:
        content_type = form.get("MediaContentType0", "").lower()
        for prefix, media in _CONTENT_TYPES:
            if content_type.startswith(prefix):
                return media
        return Media.OTHER
    return None


def _count(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return 0


def keyword(form: Mapping[str, str]) -> str | None:
    """'stop' or 'start' when the whole message is an opt-out / opt-in keyword. Twilio's
    Advanced Opt-Out, when enabled, names it in OptOutType."""
    declared = form.get("OptOutType", "").upper()
    if declared in ("STOP", "START"):
        return declared.lower()
    word = "".join(c for c in form.get("Body", "") if c.isalnum()).upper()
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    return None


def read_status(form: Mapping[str, str]) -> DeliveryReport:
    """A status callback: what became of a message the bot sent (raw values: the conversation
    decides how much of them it keeps)."""
    sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
    if not sid or not status:
        raise MalformedStatus("MessageSid and MessageStatus are required")
    error = form.get("ErrorCode") or None
    recipient = form.get("To", "")
    unsubscribed = error == str(UNSUBSCRIBED) and recipient.startswith("whatsapp:")
    return DeliveryReport(CHANNEL, sid, status, recipient, error, unsubscribed)
