"""Replies as Telegram messages: inline keyboards, texts cut at 4,096 characters on paragraphs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.text import merge_replies, numbered, split_text, utf16_length
from bot.messages import Choice, Outbound

TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
# Telegram refuses an empty text; a question without words still needs its buttons shown.
_NO_TEXT = "👇"


@dataclass(frozen=True)
class TelegramMessage:
    chat_id: int | str
    text: str
    choices: tuple[Choice, ...] = ()

    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.choices:
            return None
        # One button per row: labels in Creole or Portuguese are long, and rows are easy to tap.
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(c.label, callback_data=c.id)] for c in self.choices]
        )

    def webhook_reply(self) -> dict[str, Any]:
        """The same message as a method call in the webhook's response body. Written as plain
        JSON (the shape markup().to_dict() gives, a test checks): building the library's
        objects costs more than the rest of the reply on this hot path."""
        body: dict[str, Any] = {"method": "sendMessage", "chat_id": self.chat_id, "text": self.text}
        if self.choices:
            body["reply_markup"] = {
                "inline_keyboard": [[{"text": c.label, "callback_data": c.id}] for c in self.choices]
            }
        return body

    def record(self) -> dict[str, Any]:
        return {"text": self.text, "choices": [{"id": c.id, "label": c.label} for c in self.choices]}

    @classmethod
    def from_record(cls, chat_id: int | str, record: Mapping[str, Any]) -> TelegramMessage:
        choices = tuple(Choice(c["id"], c["label"]) for c in record.get("choices", ()))
        return cls(chat_id, record["text"], choices)


def render(chat_id: int | str, replies: Sequence[Outbound]) -> list[TelegramMessage]:
    messages: list[TelegramMessage] = []
    for reply in merge_replies(replies, TEXT_LIMIT, utf16_length):
        choices = reply.choices
        text = reply.text
        if any(len(c.id.encode("utf-8")) > CALLBACK_DATA_LIMIT for c in choices):
            # A button id Telegram would refuse: offer the options as a numbered list instead
            # (the engine reads "2" as the second option).
            text, choices = numbered(text, choices), ()
        pieces = split_text(text, TEXT_LIMIT, utf16_length) or ([_NO_TEXT] if choices else [])
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            messages.append(TelegramMessage(chat_id, piece, choices if last else ()))
    return messages
