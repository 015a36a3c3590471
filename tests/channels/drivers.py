"""Users on Telegram and WhatsApp, as the platforms would deliver them: real update JSON and
real Twilio form posts (tests/data), sent over HTTP to the served web app, and the replies read
back from what the fake platforms received. Same interface as tests.support.chat.Chat, so the
scripted chats (tests.support.chat.play) run through the webhooks too."""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode
from xml.etree import ElementTree

import httpx
from twilio.request_validator import RequestValidator

from bot.app import App
from bot.channels.whatsapp.referral import prefilled_message
from bot.engine import ConversationState
from bot.messages import Choice, Media, Outbound
from db import contacts as contact_store
from tests.channels.fakes import AUTH_TOKEN, FakePlatforms
from tests.support.clock import FakeClock

DATA = Path(__file__).resolve().parent.parent / "data"
PUBLIC_URL = "https://puente.example.org"
WEBHOOK_SECRET = "s3cr3t-Webhook_token"

_update_ids = itertools.count(100_000_000)
_message_sids = itertools.count(1)
_NUMBERED = re.compile(r"^(\d+)\. (.+)$")

_TELEGRAM_MEDIA = {
    Media.PHOTO: "photo.json",
    Media.VOICE: "voice.json",
    Media.STICKER: "sticker.json",
    Media.LOCATION: "location.json",
    Media.DOCUMENT: "document.json",
}
_WHATSAPP_MEDIA = {Media.PHOTO: "image.form", Media.VOICE: "voice.form", Media.LOCATION: "location.form"}


def load_update(name: str) -> dict[str, Any]:
    return json.loads((DATA / "telegram" / name).read_text(encoding="utf-8"))


def load_form(name: str) -> dict[str, str]:
    return dict(parse_qsl((DATA / "whatsapp" / name).read_text(encoding="utf-8").strip(), keep_blank_values=True))


def sign(url: str, form: dict[str, str]) -> str:
    """X-Twilio-Signature exactly as Twilio computes it (twilio's own validator)."""
    return RequestValidator(AUTH_TOKEN).compute_signature(url, form)


class ChannelUser:
    """What both drivers share: the Chat interface of tests.support.chat."""

    channel = ""
    # One connection pool per served app, shared by its users and closed after each test.
    _clients: dict[str, httpx.Client] = {}

    def __init__(self, app: App, web: str, platforms: FakePlatforms, clock: FakeClock, user: str) -> None:
        self.app, self.web, self.platforms, self.clock, self.user = app, web, platforms, clock, user
        if web not in self._clients:
            # Plain HTTP on loopback: verify=False spares loading the CA bundle (~20 ms a client).
            self._clients[web] = httpx.Client(base_url=web, timeout=30, verify=False)
        self.http = self._clients[web]
        self.last: list[Outbound] = []

    @classmethod
    def close_all(cls) -> None:
        for client in cls._clients.values():
            client.close()
        cls._clients.clear()

    def send(self, **fields: Any) -> list[Outbound]:
        mark = len(self.platforms.calls)
        response = self.deliver(**fields)
        assert response.status_code == 200, (response.status_code, response.text)
        self.last = self.received(since=mark)
        self.clock.advance(3)
        return self.last

    def deliver(self, **fields: Any) -> httpx.Response:
        raise NotImplementedError

    def received(self, since: int = 0) -> list[Outbound]:
        raise NotImplementedError

    def say(self, text: str) -> list[Outbound]:
        return self.send(text=text)

    def tap(self, payload: str) -> list[Outbound]:
        return self.send(choice_id=payload)

    def tap_label(self, label: str) -> list[Outbound]:
        for reply in reversed(self.last):
            for choice in reply.choices:
                if choice.label == label:
                    return self.tap_choice(choice)
        raise AssertionError(f"no button {label!r} in {self.labels}")

    def tap_choice(self, choice: Choice) -> list[Outbound]:
        return self.tap(choice.id)

    def state(self) -> ConversationState:
        with self.app.db.transaction() as conn:
            contact = contact_store.find_contact(conn, self.channel, self.user)
            if contact is None:
                return ConversationState()
            return ConversationState.from_json(contact_store.load_state(conn, contact.id))

    def contact(self) -> contact_store.Contact | None:
        with self.app.db.transaction() as conn:
            return contact_store.find_contact(conn, self.channel, self.user)

    @property
    def text(self) -> str:
        return "\n\n".join(r.text for r in self.last)

    @property
    def labels(self) -> list[str]:
        return [c.label for r in self.last for c in r.choices]


class TelegramUser(ChannelUser):
    channel = "telegram"

    def __init__(self, app: App, web: str, platforms: FakePlatforms, clock: FakeClock,
                 user_id: int = 5012345678, language_code: str | None = "es") -> None:
        super().__init__(app, web, platforms, clock, str(user_id))
        self.user_id = user_id
        self.language_code = language_code

    def update(self, name: str, **message: Any) -> dict[str, Any]:
        """A real update from tests/data with this user's ids, a fresh update_id and `message`
        fields (text, data, caption...) changed."""
        update = copy.deepcopy(load_update(name))
        update["update_id"] = next(_update_ids)
        body = next(v for k, v in update.items() if k != "update_id")
        for holder in (body, body.get("message") or {}):
            for key in ("from", "chat"):
                if key in holder and holder[key].get("type", "private") == "private" and not holder[key].get("is_bot"):
                    holder[key]["id"] = self.user_id
                    if key == "from":
                        if self.language_code:
                            holder[key]["language_code"] = self.language_code
                        else:
                            holder[key].pop("language_code", None)
        body.update(message)
        return update

    def post(self, update: dict[str, Any], *, secret: str | None = WEBHOOK_SECRET,
             raw: bytes | None = None) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        response = self.http.post("/webhooks/telegram", content=raw if raw is not None else json.dumps(update), headers=headers)
        if response.status_code == 200 and response.content:
            # Telegram runs the method returned in the webhook response.
            body = response.json()
            method = body.pop("method")
            self.platforms.telegram_call(method, body, via="webhook")
        return response

    def deliver(self, **fields: Any) -> httpx.Response:
        if fields.get("choice_id"):
            update = self.update("callback_query.json", data=fields["choice_id"])
        elif fields.get("media") is not None:
            update = self.update(_TELEGRAM_MEDIA[Media(fields["media"])], caption=fields.get("text") or None)
            if update["message"].get("caption") is None:
                update["message"].pop("caption", None)
        elif fields.get("is_start"):
            referral = fields.get("referral")
            update = self.update("start_deep_link.json", text="/start" + (f" {referral}" if referral else ""))
        else:
            update = self.update("text.json", text=fields.get("text", ""))
        return self.post(update)

    def received(self, since: int = 0) -> list[Outbound]:
        replies = []
        for index, call in enumerate(list(self.platforms.calls)):
            if index < since or call.method != "sendMessage" or call.answer >= 300:
                continue
            if str(call.params.get("chat_id")) != self.user:
                continue
            markup = call.params.get("reply_markup") or {}
            choices = tuple(
                Choice(button["callback_data"], button["text"])
                for row in markup.get("inline_keyboard", []) for button in row
            )
            replies.append(Outbound(call.params["text"], choices))
        return replies


class WhatsAppUser(ChannelUser):
    channel = "whatsapp"

    def __init__(self, app: App, web: str, platforms: FakePlatforms, clock: FakeClock,
                 number: str = "+5215512345678", templates: dict[str, str] | None = None) -> None:
        super().__init__(app, web, platforms, clock, f"whatsapp:{number}")
        self.number = number
        # Content SID -> "quick" or "list", as configured for the app under test.
        self.templates = templates or {}

    def form(self, name: str, **fields: str) -> dict[str, str]:
        form = load_form(name)
        sid = ("MM" if name in ("image.form", "voice.form") else "SM") + f"{next(_message_sids):032x}"
        for key in ("MessageSid", "SmsMessageSid", "SmsSid"):
            if key in form:
                form[key] = sid
        form["From"] = self.user
        form["WaId"] = self.number.lstrip("+")
        form.update(fields)
        return form

    def post(self, form: dict[str, str], *, path: str = "/webhooks/whatsapp",
             signature: str | None = None) -> httpx.Response:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature if signature is not None else sign(PUBLIC_URL + path, form),
        }
        response = self.http.post(path, content=urlencode(form), headers=headers)
        if response.status_code == 200 and path == "/webhooks/whatsapp":
            root = ElementTree.fromstring(response.text)
            assert root.tag == "Response", response.text
            self.platforms.twiml(self.user, [m.text or "" for m in root.iter("Message")])
        return response

    def deliver(self, **fields: Any) -> httpx.Response:
        if fields.get("choice_id"):
            label = fields.get("label", "")
            form = self.form("button.form", ButtonPayload=fields["choice_id"], ButtonText=label, Body=label)
        elif fields.get("media") is not None:
            form = self.form(_WHATSAPP_MEDIA[Media(fields["media"])], Body=fields.get("text", ""))
        elif fields.get("is_start"):
            # WhatsApp has no start command: a poster's link prefills the message with its code.
            referral = fields.get("referral")
            form = self.form("text.form", Body=prefilled_message(referral) if referral else "Hola")
        else:
            form = self.form("text.form", Body=fields.get("text", ""))
        return self.post(form)

    def tap_choice(self, choice: Choice) -> list[Outbound]:
        if choice.id.isdigit():
            return self.say(choice.id)  # a numbered list: the user types the number
        return self.send(choice_id=choice.id, label=choice.label)

    def received(self, since: int = 0) -> list[Outbound]:
        replies = []
        for index, call in enumerate(list(self.platforms.calls)):
            if index < since or call.method != "Messages" or call.answer >= 300 or call.params.get("To") != self.user:
                continue
            if "ContentSid" in call.params:
                replies.append(self._content(call.params))
            else:
                replies.append(numbered_reply(call.params["Body"]))
        return replies

    def _content(self, params: dict[str, Any]) -> Outbound:
        variables = json.loads(params.get("ContentVariables") or "{}")
        kind = self.templates.get(params["ContentSid"])
        first = 2 if kind == "quick" else 3
        choices = []
        number = first
        while str(number) in variables:
            choices.append(Choice(variables[str(number + 1)], variables[str(number)]))
            number += 2
        return Outbound(variables.get("1", ""), tuple(choices))


def numbered_reply(body: str) -> Outbound:
    """A WhatsApp text whose last lines are "1. ...", "2. ...": the options of the question."""
    lines = body.split("\n")
    choices: list[Choice] = []
    while lines:
        found = _NUMBERED.match(lines[-1])
        if not found:
            break
        choices.insert(0, Choice(found.group(1), found.group(2)))
        lines.pop()
    if [c.id for c in choices] != [str(n) for n in range(1, len(choices) + 1)]:
        return Outbound(body)
    return Outbound("\n".join(lines).strip(), tuple(choices))
