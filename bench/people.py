"""The simulated people of the benchmarks and the reliability suite: what each sends, in
order, and how it reads the bot's replies, as Telegram updates and Twilio WhatsApp forms with
their real signatures (bench/loadgen.py drives them over HTTP; bench/chaos/ledger.py too)."""

from __future__ import annotations

import functools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench.common import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, WEBHOOK_SECRET, WHATSAPP_FROM

# What users send, in order, again and again: a first message, buttons of the last reply,
# free text that searches vacancies, numbers, greetings and the menu word. ("tap", "first")
# picks the first button (Spanish, at the language question), ("tap", "") a random one.
TELEGRAM_SCRIPT = [
    ("start", ""), ("tap", "first"), ("text", "busco trabajo de albañil en Monterrey"), ("tap", ""), ("text", "1"),
    ("text", "hola"), ("tap", ""), ("text", "menú"), ("tap", ""), ("text", "cocinero en Cancún"),
    ("text", "2"), ("tap", ""),
]
WHATSAPP_SCRIPT = [
    ("text", "Hola"), ("tap", "first"), ("text", "busco trabajo de albañil en Monterrey"), ("tap", ""), ("text", "1"),
    ("text", "hola"), ("tap", ""), ("text", "menú"), ("tap", ""), ("text", "cocinero en Cancún"),
    ("text", "2"), ("tap", ""),
]

_NUMBERED = re.compile(r"^(\d+)\. (.*)$", re.M)
# Simulated users measure the bot's turns: they never hand their conversation to a person (the
# bot is silent then, by design), so they skip "Hablar con una persona" and its offer.
_PERSON_BUTTONS = re.compile(r"(^|\.)person$|^sys\.person\.")
# WhatsApp's options are numbered labels without ids: those buttons' labels, in every language
# (a random tap may switch the language), from the shipped content's catalogs.
_PERSON_TEXTS = ("system.talk_to_person", "system.handoff_offer_yes")
_TWIML_MESSAGE = re.compile(r"<Message>(.*?)</Message>", re.S)


@dataclass
class User:
    index: int
    key: str                       # chat id / "whatsapp:+52..."
    step: int = 0
    buttons: list[str] = field(default_factory=list)
    # The numbers that would pick a person button of the last reply if typed (a typed number
    # picks an option on both platforms): the script's "1" there becomes the menu word.
    person_numbers: set[str] = field(default_factory=set)
    rng: random.Random = field(default_factory=random.Random)

    def next_action(self, script: list[tuple[str, str]]) -> tuple[str, str]:
        kind, text = script[self.step % len(script)]
        self.step += 1
        if kind == "text" and text in self.person_numbers:
            return kind, "menú"
        return kind, text

    def button(self, how: str, default: str) -> str:
        if not self.buttons:
            return default
        return self.buttons[0] if how == "first" else self.rng.choice(self.buttons)


@functools.cache
def person_labels() -> frozenset[str]:
    """The labels of the buttons that hand the conversation to a person (the bot is silent
    then), in Spanish and in every translation shipped."""
    from bot.content.catalog import Catalogs
    from bot.content.source import ContentSource
    from bot.settings import PROJECT_ROOT

    labels: set[str] = set()
    for entries in Catalogs.from_source(ContentSource.from_directory(PROJECT_ROOT)).entries.values():
        for context, entry in entries.items():
            choice = context.partition(".choices.")[2]  # a step's button: "<flow>.<step>.choices.<id>"
            if context in _PERSON_TEXTS or (choice and _PERSON_BUTTONS.search(choice)):
                labels.update(text.strip() for text in (entry.msgid, entry.msgstr) if text)
    return frozenset(labels)


# -- protocols ---------------------------------------------------------------------------------------

class Telegram:
    name = "telegram"
    path = "/webhooks/telegram"
    script = TELEGRAM_SCRIPT

    def __init__(self) -> None:
        self._update_ids = iter(range(800_000_000, 2_000_000_000))
        self._message_ids = iter(range(1, 2_000_000_000))
        self.headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}

    def user(self, index: int) -> User:
        return User(index, str(6_000_000_000 + index), rng=random.Random(index))

    def request(self, user: User) -> tuple[bytes, dict[str, str], str]:
        kind, text = user.next_action(self.script)
        update_id = next(self._update_ids)
        person = {"id": int(user.key), "is_bot": False, "first_name": "Bench", "language_code": "es"}
        chat = {"id": int(user.key), "first_name": "Bench", "type": "private"}
        date = int(time.time())
        if kind == "tap":
            data = user.button(text, "menu")
            update: dict[str, Any] = {"update_id": update_id, "callback_query": {
                "id": str(update_id), "from": person, "chat_instance": "-752331876",
                "message": {"message_id": next(self._message_ids), "date": date, "chat": chat,
                            "from": {"id": 7000000001, "is_bot": True, "first_name": "Puente"}, "text": "…"},
                "data": data,
            }}
        else:
            message: dict[str, Any] = {"message_id": next(self._message_ids), "from": person, "chat": chat,
                                       "date": date, "text": "/start" if kind == "start" else text}
            if kind == "start":
                message["entities"] = [{"offset": 0, "length": 6, "type": "bot_command"}]
            update = {"update_id": update_id, "message": message}
        return json.dumps(update, ensure_ascii=False).encode(), self.headers, str(update_id)

    def read_response(self, user: User, body: bytes) -> bool:
        """True when the response carries a reply (a Bot API method)."""
        if not body:
            return False
        try:
            reply = json.loads(body)
        except ValueError:
            return False
        if reply.get("method") != "sendMessage":
            return False
        self.read_reply(user, reply)
        return True

    @staticmethod
    def read_reply(user: User, params: dict[str, Any]) -> None:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = (markup or {}).get("inline_keyboard") or []
        shown = [b["callback_data"] for row in rows for b in row if b.get("callback_data")]
        user.buttons = [data for data in shown if not _PERSON_BUTTONS.search(data)]
        user.person_numbers = {str(n) for n, data in enumerate(shown, start=1) if _PERSON_BUTTONS.search(data)}


class WhatsApp:
    name = "whatsapp"
    path = "/webhooks/whatsapp"
    script = WHATSAPP_SCRIPT

    def __init__(self) -> None:
        from twilio.request_validator import RequestValidator

        self.validator = RequestValidator(AUTH_TOKEN)
        person_labels()  # the catalogs are read now, not during a timed load
        self._sids = iter(range(1, 2_000_000_000))
        self.url = PUBLIC_URL + self.path

    def user(self, index: int) -> User:
        return User(index, f"whatsapp:+52155{index:08d}", rng=random.Random(index))

    def request(self, user: User) -> tuple[bytes, dict[str, str], str]:
        kind, text = user.next_action(self.script)
        if kind == "tap":
            text = user.button(text, "menú")
        sid = f"SM{next(self._sids):032x}"
        form = {
            "SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Bench", "MessageType": "text",
            "SmsSid": sid, "WaId": user.key.removeprefix("whatsapp:+"), "SmsStatus": "received",
            "Body": text, "To": WHATSAPP_FROM, "NumSegments": "1", "ReferralNumMedia": "0",
            "MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": user.key, "ApiVersion": "2010-04-01",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": self.validator.compute_signature(self.url, form)}
        return urlencode(form).encode(), headers, sid

    def read_response(self, user: User, body: bytes) -> bool:
        messages = _TWIML_MESSAGE.findall(body.decode("utf-8", "replace"))
        if not messages:
            return False
        self.read_reply(user, {"Body": messages[-1]})
        return True

    @staticmethod
    def read_reply(user: User, params: dict[str, Any]) -> None:
        person = person_labels()
        shown = _NUMBERED.findall(params.get("Body") or "")
        user.buttons = [number for number, label in shown if label.strip() not in person]
        user.person_numbers = {number for number, label in shown if label.strip() in person}


PROTOCOLS: dict[str, Callable[[], Telegram | WhatsApp]] = {"telegram": Telegram, "whatsapp": WhatsApp}
