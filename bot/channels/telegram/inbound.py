"""Telegram updates as what they say (`Received`): parsed with python-telegram-bot's
Update.de_json, except the two shapes nearly every update has (a text message or a tapped
button in a private chat), which `read_common` reads straight from the JSON: building PTB's
objects was a sixth of a webhook turn's time (docs/benchmarks.md)."""

from __future__ import annotations

import json
import re
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.channels.port import Malformed, OptOut, Received
from bot.messages import Inbound, Media

CHANNEL = "telegram"

# /start <payload> from a t.me/<bot>?start=<payload> link or QR poster (Telegram allows 1-64
# characters of A-Z, a-z, 0-9, _ and -).
_DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")

# The bot's own commands (see commands.py) as words the engine understands in any
# language; /start is handled apart.
COMMAND_WORDS: dict[str, str] = {
    "menu": "menu",
    "help": "help",
    "language": "language",
    "back": "back",
    "delete": "delete my data",
}

# Attributes of a message that carry something the bot cannot read, and what it is.
_MEDIA: tuple[tuple[str, Media], ...] = (
    ("photo", Media.PHOTO),
    ("sticker", Media.STICKER),
    ("voice", Media.VOICE),
    ("audio", Media.VOICE),
    ("video_note", Media.VIDEO),
    ("animation", Media.VIDEO),
    ("video", Media.VIDEO),
    ("document", Media.DOCUMENT),
    ("location", Media.LOCATION),
    ("venue", Media.LOCATION),
    ("contact", Media.CONTACT),
    ("poll", Media.OTHER),
    ("dice", Media.OTHER),
    ("story", Media.OTHER),
    ("game", Media.OTHER),
)


class MalformedUpdate(Malformed):
    """The body is not a Telegram update (answered with 400)."""


def parse(body: bytes | None) -> Received:
    """What a webhook's body says. Raises MalformedUpdate (not JSON, not an update, too large)."""
    if body is None:
        raise MalformedUpdate("too large")
    try:
        data = json.loads(body)
    except ValueError:  # includes UnicodeDecodeError
        raise MalformedUpdate("not JSON") from None
    received = read_common(data)
    if received is not None:
        return received
    received = read_update(parse_update(data))
    if received.inbound is not None and not (type(received.address) is int
                                             and received.inbound.user_key.lstrip("-").isdigit()):
        # PTB builds a chat or a user without an id: Telegram always sends both.
        raise MalformedUpdate("no chat or user id")
    return received


def parse_update(data: Any) -> Update:
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise MalformedUpdate("not a Telegram update")
    try:
        update = Update.de_json(data, None)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise MalformedUpdate(type(error).__name__) from None
    if update is None:
        raise MalformedUpdate("empty update")
    return update


def read_common(data: Any) -> Received | None:
    """What a plain text message or a button tap in a private chat, read from the raw
    update; None for anything else (or anything unexpected), which goes through parse_update.
    Gives exactly what read_update(parse_update(data)) gives for those shapes."""
    if not isinstance(data, dict) or len(data) != 2:
        return None
    uid = data.get("update_id")
    if type(uid) is not int:
        return None
    message = data.get("message")
    if isinstance(message, dict):
        text, chat, user = message.get("text"), message.get("chat"), message.get("from")
        if not (isinstance(text, str) and text and not text.startswith("/") and _private(chat) and _person(user)):
            return None
        if type(message.get("message_id")) is not int or type(message.get("date")) is not int:
            return None
        inbound = Inbound(CHANNEL, str(user["id"]), text=text, language_hint=user.get("language_code"),
                          external_id=str(uid))
        return Received(CHANNEL, chat["id"], inbound)
    query = data.get("callback_query")
    if isinstance(query, dict):
        user, found, choice = query.get("from"), query.get("message"), query.get("data")
        if not (isinstance(query.get("id"), str) and _person(user) and isinstance(found, dict)
                and _private(found.get("chat")) and isinstance(choice, str) and choice
                and isinstance(query.get("chat_instance"), str)):
            return None
        inbound = Inbound(CHANNEL, str(user["id"]), choice_id=choice, language_hint=user.get("language_code"),
                          external_id=str(uid))
        return Received(CHANNEL, user["id"], inbound, tap=query["id"])
    return None


def _private(chat: Any) -> bool:
    return isinstance(chat, dict) and chat.get("type") == ChatType.PRIVATE and type(chat.get("id")) is int


def _person(user: Any) -> bool:
    return (isinstance(user, dict) and type(user.get("id")) is int and isinstance(user.get("first_name"), str)
            and isinstance(user.get("is_bot"), bool) and isinstance(user.get("language_code"), (str, type(None))))


def read_update(update: Update) -> Received:
    """What the update means for the bot; without an inbound or an opt-out it is ignored."""
    uid = update.update_id
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat if query.message is not None else None
        if chat is not None and chat.type != ChatType.PRIVATE:
            return Received(CHANNEL, tap=query.id)
        user = query.from_user
        inbound = Inbound(
            CHANNEL,
            str(user.id),
            choice_id=query.data or None,
            language_hint=user.language_code,
            external_id=str(uid),
        )
        return Received(CHANNEL, user.id, inbound, tap=query.id)
    if update.message is not None:
        return _message_event(uid, update.message)
    if update.my_chat_member is not None:
        change = update.my_chat_member
        if change.chat.type != ChatType.PRIVATE:
            return Received(CHANNEL)
        # Blocked (or unblocked) the bot: never (or again) message them first.
        blocked = change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
        return Received(CHANNEL, change.chat.id, opt_out=OptOut(str(change.chat.id), blocked, str(uid)))
    # Edited messages, channel posts, inline queries...: nothing to answer.
    return Received(CHANNEL)


def _message_event(uid: int, message: Message) -> Received:
    if message.chat.type != ChatType.PRIVATE or message.from_user is None:
        # Puente talks with one person at a time; in groups it stays silent.
        return Received(CHANNEL)
    user = message.from_user
    text = message.text or message.caption or ""
    fields: dict[str, Any] = {}
    if message.text and message.text.startswith("/"):
        command, _, argument = message.text[1:].partition(" ")
        command = command.split("@", 1)[0].lower()
        if command == "start":
            payload = argument.strip()
            fields = {"is_start": True, "referral": payload if _DEEP_LINK.fullmatch(payload) else None}
            text = ""
        elif command in COMMAND_WORDS:
            text = COMMAND_WORDS[command]
    media = None if message.text else _media_of(message)
    if media is None and not text and not fields:
        return Received(CHANNEL)  # a service message (pinned, payment...): nothing to answer
    inbound = Inbound(
        CHANNEL,
        str(user.id),
        text=text,
        language_hint=user.language_code,
        external_id=str(uid),
        media=media,
        **fields,
    )
    return Received(CHANNEL, message.chat.id, inbound)


def _media_of(message: Message) -> Media | None:
    for attribute, kind in _MEDIA:
        if getattr(message, attribute, None):
            return kind
    return None
