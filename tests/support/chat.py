"""Driving conversations through the real ConversationService, and scripted chats from YAML."""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.app import App
from bot.engine import ConversationState
from bot.messages import Inbound, Media, Outbound
from db import contacts as contact_store
from tests.support.clock import FakeClock

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Chat:
    """One user talking to the bot on a channel."""

    def __init__(self, app: App, loop: asyncio.AbstractEventLoop, clock: FakeClock,
                 channel: str = "console", user: str = "tester", hint: str | None = None,
                 phone: str | None = None) -> None:
        self.app, self.loop, self.clock = app, loop, clock
        self.channel, self.user, self.hint, self.phone = channel, user, hint, phone
        self.last: list[Outbound] = []
        self._ids = 0

    def send(self, **fields: Any) -> list[Outbound]:
        fields.setdefault("language_hint", self.hint)
        fields.setdefault("phone", self.phone)
        inbound = Inbound(self.channel, self.user, **fields)
        outcome = self.loop.run_until_complete(self.app.conversations.handle(inbound))
        self.last = outcome.replies
        self.clock.advance(3)
        return outcome.replies

    def say(self, text: str) -> list[Outbound]:
        return self.send(text=text)

    def tap(self, payload: str) -> list[Outbound]:
        return self.send(choice_id=payload)

    def tap_label(self, label: str) -> list[Outbound]:
        for reply in reversed(self.last):
            for choice in reply.choices:
                if choice.label == label:
                    return self.tap(choice.id)
        raise AssertionError(f"no button {label!r} in {[c.label for r in self.last for c in r.choices]}")

    def state(self) -> ConversationState:
        with self.app.db.transaction() as conn:
            contact = contact_store.find_contact(conn, self.channel, self.user)
            if contact is None:
                return ConversationState()
            return ConversationState.from_json(contact_store.load_state(conn, contact.id))

    def handoff(self) -> dict[str, Any] | None:
        """The person's latest handoff: status, outcome, and how many messages of each author."""
        from db import handoffs

        with self.app.db.transaction() as conn:
            contact = contact_store.find_contact(conn, self.channel, self.user)
            if contact is None:
                return None
            row = conn.execute(handoffs.handoffs.select().where(handoffs.handoffs.c.contact_id == contact.id)
                               .order_by(handoffs.handoffs.c.id.desc())).first()
            if row is None:
                return None
            found = handoffs.messages(conn, row.id)
        return {"status": row.status, "outcome": row.outcome, "topic": row.topic,
                "person_messages": sum(1 for m in found if m.author == handoffs.PERSON)}

    def staff_closes(self, outcome: str) -> None:
        """A caseworker closes the person's open handoff with `outcome` (as the admin does)."""
        from bot.conversation.handoffs import StaffActions
        from db import handoffs

        with self.app.db.transaction() as conn:
            contact = contact_store.find_contact(conn, self.channel, self.user)
            found = handoffs.open_for(conn, contact.id) if contact else None
        assert found is not None, "no open handoff to close"
        actions = StaffActions(self.app.conversations, self.app.notifier)
        self.loop.run_until_complete(actions.close(found.id, outcome))
        self.last = []

    @property
    def text(self) -> str:
        return "\n\n".join(r.text for r in self.last)

    @property
    def labels(self) -> list[str]:
        return [c.label for r in self.last for c in r.choices]


@dataclass
class Script:
    path: Path
    name: str
    data: dict[str, Any]


def load_scripts(directory: Path) -> list[Script]:
    scripts = []
    for path in sorted(directory.glob("**/*.yaml")):
        # libyaml's parser when PyYAML has it: the same data, and collection reads every script.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
        for index, chat in enumerate(data.get("chats", [data])):
            scripts.append(Script(path, f"{path.stem}:{chat.get('name', index)}", chat))
    return scripts


def play(script: Script, chat: Chat) -> None:
    """Each turn: user says/taps/sends media, and the bot's replies are checked.

    `setup: [module:function, ...]` names functions called with the Chat before the first
    turn (data the conversation needs, e.g. sample vacancies)."""
    for reference in script.data.get("setup", []):
        module, _, function = str(reference).partition(":")
        getattr(importlib.import_module(module), function)(chat)
    for number, turn in enumerate(script.data["turns"], start=1):
        where = f"{script.path.name} '{script.data.get('name')}' turn {number}"
        if "wait" in turn:
            chat.clock.advance(float(turn["wait"]))
        if "user" in turn:
            chat.say(str(turn["user"]))
        elif "tap" in turn:
            chat.tap_label(str(turn["tap"]))
        elif "button" in turn:
            chat.tap(str(turn["button"]))
        elif "media" in turn:
            chat.send(media=Media(turn["media"]), text=str(turn.get("caption", "")))
        elif "start" in turn:
            chat.send(is_start=True, referral=turn.get("start") or None)
        elif "staff_closes" in turn:
            chat.staff_closes(str(turn["staff_closes"]))
        check(turn, chat, where)


def check(turn: dict[str, Any], chat: Chat, where: str) -> None:
    text = chat.text
    for expected in _as_list(turn.get("bot")):
        assert expected in text, f"{where}: expected {expected!r} in:\n{text}"
    for unexpected in _as_list(turn.get("not")):
        assert unexpected not in text, f"{where}: did not expect {unexpected!r} in:\n{text}"
    if "choices" in turn:
        assert chat.labels == turn["choices"], f"{where}: choices {chat.labels} != {turn['choices']}"
    if "has_choices" in turn:
        for label in turn["has_choices"]:
            assert label in chat.labels, f"{where}: no choice {label!r} in {chat.labels}"
    if "replies" in turn:
        assert len(chat.last) == turn["replies"], f"{where}: {len(chat.last)} replies, expected {turn['replies']}"
    if "handoff" in turn:
        expected = turn["handoff"]
        got = chat.handoff()
        for key, value in (expected or {}).items():
            assert got is not None and got.get(key) == value, f"{where}: handoff {got!r}, expected {key}={value!r}"
        if expected is None:
            assert got is None, f"{where}: expected no handoff, found {got!r}"
    state = turn.get("state")
    if state:
        actual = chat.state()
        for key, value in state.items():
            got = actual.slots.get(key[6:]) if key.startswith("slots.") else getattr(actual, key)
            assert got == value, f"{where}: state {key} is {got!r}, expected {value!r}"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]
