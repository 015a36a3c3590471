"""Replies as WhatsApp messages: numbered lists, or Twilio quick replies and list pickers when
their Content SIDs are configured; texts cut at 1,600 characters on paragraphs."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.text import merge_replies, numbered, split_text
from bot.messages import Choice, Outbound

BODY_LIMIT = 1600
# WhatsApp's limits for interactive messages sent in a session.
CONTENT_BODY_LIMIT = 1024
QUICK_REPLY_MAX = 3
QUICK_REPLY_TITLE = 20
LIST_MAX = 10
LIST_ITEM_TITLE = 24
LIST_BUTTON = 20
PAYLOAD_LIMIT = 200


@dataclass(frozen=True)
class WhatsAppMessage:
    """A plain text (TwiML or REST), or a Content template with its variables (REST only)."""

    body: str = ""
    content_sid: str | None = None
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def plain(self) -> bool:
        return self.content_sid is None

    def record(self) -> dict[str, Any]:
        if self.plain:
            return {"text": self.body}
        return {"content_sid": self.content_sid, "variables": self.variables}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> WhatsAppMessage:
        if record.get("content_sid"):
            return cls(content_sid=record["content_sid"], variables=dict(record.get("variables") or {}))
        return cls(body=record["text"])

    def variables_json(self) -> str | None:
        return json.dumps(self.variables, ensure_ascii=False) if self.variables else None


class WhatsAppRenderer:
    def __init__(self, quick_replies: dict[int, str], list_pickers: dict[int, str]) -> None:
        self.quick_replies = quick_replies
        self.list_pickers = list_pickers

    def render(
        self, replies: Sequence[Outbound], list_button: str = "", *, numbers: bool = True
    ) -> list[WhatsAppMessage]:
        """`numbers`: choices as "1. ..." (the engine reads "2" at the current question); a
        message the bot sends first lists them with bullets instead, as "2" would be read
        against whatever question the user is at."""
        messages: list[WhatsAppMessage] = []
        for reply in merge_replies(replies, BODY_LIMIT):
            messages += self._one(reply, list_button, numbers)
        return messages

    def _one(self, reply: Outbound, list_button: str, numbers: bool) -> list[WhatsAppMessage]:
        choices = reply.choices
        template = self._template(choices, list_button) if choices else None
        if template is None:
            text = _numbered_once(reply.text, choices) if numbers else _bulleted(reply.text, choices)
            return [WhatsAppMessage(piece) for piece in split_text(text, BODY_LIMIT)]
        sid, variables = template
        pieces = split_text(reply.text, BODY_LIMIT) or [""]
        head, last = pieces[:-1], pieces[-1]
        if len(last) > CONTENT_BODY_LIMIT:
            more = split_text(last, CONTENT_BODY_LIMIT)
            head, last = head + more[:-1], more[-1]
        variables = {"1": last or "…", **variables}
        return [WhatsAppMessage(p) for p in head] + [WhatsAppMessage(content_sid=sid, variables=variables)]

    def _template(self, choices: tuple[Choice, ...], list_button: str) -> tuple[str, dict[str, str]] | None:
        count = len(choices)
        if any(len(c.id) > PAYLOAD_LIMIT for c in choices):
            return None
        titles = [c.label for c in choices]
        if count <= QUICK_REPLY_MAX and count in self.quick_replies and _fit(titles, QUICK_REPLY_TITLE):
            # Variables: 1 = body, then title and id of each button: 2, 3 / 4, 5 / 6, 7.
            variables = {}
            for index, choice in enumerate(choices, start=1):
                variables[str(2 * index)] = choice.label
                variables[str(2 * index + 1)] = choice.id
            return self.quick_replies[count], variables
        if (
            count <= LIST_MAX and count in self.list_pickers and _fit(titles, LIST_ITEM_TITLE)
            and 0 < len(list_button) <= LIST_BUTTON
        ):
            # Variables: 1 = body, 2 = the button that opens the list, then each item's title
            # and id: 3, 4 / 5, 6 / ...
            variables = {"2": list_button}
            for index, choice in enumerate(choices, start=1):
                variables[str(2 * index + 1)] = choice.label
                variables[str(2 * index + 2)] = choice.id
            return self.list_pickers[count], variables
        return None


def _fit(titles: list[str], limit: int) -> bool:
    return all(0 < len(t) <= limit for t in titles) and len(set(titles)) == len(titles)


def _numbered_once(text: str, choices: tuple[Choice, ...]) -> str:
    """Choices as numbered lines, except the first ones the text already shows under their number
    (vacancy cards: "1. Cocinero" above, so not "1. Cocinero" again below). Numbers stay those
    of the choices: "2" is still the second."""
    shown = _numbered_in_text(text, choices)
    if not shown:
        return numbered(text, choices)
    lines = [f"{number}. {choice.label}" for number, choice in enumerate(choices, start=1) if number > shown]
    return "\n\n".join(part for part in (text.strip(), "\n".join(lines)) if part)


def _numbered_in_text(text: str, choices: tuple[Choice, ...]) -> int:
    """How many of the first choices appear in the text as "<n>. <label>" lines."""
    lines = [line.strip() for line in text.splitlines()]
    count = 0
    for number, choice in enumerate(choices, start=1):
        label = re.sub(r" \(\d+\)$", "", choice.label).rstrip("…").strip()
        prefix = f"{number}. "
        if not label or not any(line.startswith(prefix) and line[len(prefix):].startswith(label) for line in lines):
            break
        count = number
    return count


def _bulleted(text: str, choices: tuple[Choice, ...]) -> str:
    lines = [f"• {choice.label}" for choice in choices]
    return "\n\n".join(part for part in (text.strip(), "\n".join(lines)) if part)


def twiml(messages: list[WhatsAppMessage]) -> str:
    """The reply inside the webhook's response: one <Message> per plain message, in order."""
    response = MessagingResponse()
    for message in messages:
        response.message(message.body)
    return str(response)
