"""Setups for scripted chats (`setup:` in tests/chats/**.yaml) and fakes for vacancy tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.engine import ConversationState
from bot.messages import Delivery, DeliveryStatus, Outbound, Template
from bot.profile import SLOT_DOCUMENT, SLOT_STATE, SLOT_TRADES
from bot.days import mexico_today
from bot.vacancies.sample import load_sample
from db import contacts as contact_store
from db.database import Database
from tests.support.chat import Chat


def sample(chat: Chat) -> None:
    """The shipped sample vacancies, as `puente start` loads them."""
    load_sample(chat.app.db, mexico_today())


def _preset(chat: Chat, **slots: object) -> None:
    now = dt.datetime.now(dt.UTC)
    with chat.app.db.transaction() as conn:
        contact = contact_store.find_or_create_contact(conn, chat.channel, chat.user, now)
        state = ConversationState.from_json(contact_store.load_state(conn, contact.id))
        state.slots.update(slots)
        contact_store.save_state(conn, contact.id, state.to_json(), now)


def builder_in_nuevo_leon(chat: Chat) -> None:
    """What registration leaves in the profile of a construction worker living in Nuevo León."""
    _preset(chat, **{SLOT_TRADES: ["construction"], SLOT_STATE: "19"})


def cook_with_tvrh(chat: Chat) -> None:
    _preset(chat, **{SLOT_TRADES: ["cooking"], SLOT_DOCUMENT: "tvrh"})


@dataclass
class Sent:
    contact_id: int
    messages: list[Outbound]
    template: Template | None
    kind: str


@dataclass
class FakeNotifier:
    """Records what would be sent; answers per contact (default: sent). Like the real one, it
    marks a contact it answers OPTED_OUT for (given the app's database)."""

    answers: dict[int, DeliveryStatus] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    db: Database | None = None

    async def send(
        self, contact_id: int, messages: Sequence[Outbound], *, template: Template | None = None,
        kind: str = "alert",
    ) -> Delivery:
        status = self.answers.get(contact_id, DeliveryStatus.SENT)
        if status == DeliveryStatus.OPTED_OUT and self.db is not None:
            with self.db.transaction() as conn:
                contact_store.update_contact(conn, contact_id, opted_out=True)
        if status == DeliveryStatus.SENT:
            self.sent.append(Sent(contact_id, list(messages), template, kind))
        return Delivery(status)


TODAY = dt.date(2026, 11, 25)


def offer(external_id: str, title: str, state: str, municipality: str | None = None, **fields: object) -> dict:
    """A valid import record (docs/vacancies-format.md) with sensible defaults."""
    record: dict[str, object] = {
        "source": "test", "external_id": external_id, "title": title, "employer": "Empresa de Prueba",
        "description": "", "state": state, "municipality": municipality,
        "salary_min": 9500, "salary_max": 12000, "salary_period": "month",
        "how_to_apply": "Llama a recursos humanos.", "published_on": (TODAY - dt.timedelta(days=1)).isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=30)).isoformat(), "documents": [],
    }
    record.update(fields)
    return record


def store(db: object, records: list[dict], *, today: dt.date = TODAY, now: dt.datetime | None = None) -> None:
    from bot.vacancies.importer import import_rows

    report = import_rows(db, [(i + 1, r) for i, r in enumerate(records)], today=today,  # type: ignore[arg-type]
                         now=now or dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC))
    assert not report.errors, report.errors
