"""Vacancy alerts through the real Notifier: Telegram's Bot API and WhatsApp's 24-hour window,
against the fake platforms on loopback."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.app import App
from bot.vacancies.alerts import AlertSender
from bot.vacancies.spec import SearchSpec
from db import contacts as contact_store
from db.vacancies.alerts import add_alert
from tests.channels.fakes import FakePlatforms
from tests.vacancies.fixtures import TODAY, offer, store

SUBSCRIBED = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
COOKS = SearchSpec(trades=("cooking",), state="23", city="Cancún")


def subscriber(app: App, channel: str, user_key: str, language: str, last_inbound: dt.datetime) -> int:
    with app.db.transaction() as conn:
        contact = contact_store.find_or_create_contact(conn, channel, user_key, SUBSCRIBED)
        contact_store.update_contact(conn, contact.id, language=language, last_inbound_at=last_inbound)
        assert add_alert(conn, contact.id, COOKS.to_json(), COOKS.key(), SUBSCRIBED) == "added"
        return contact.id


def send_alerts(app: App) -> object:
    sender = AlertSender(
        app.db, lambda: app.live.content, app.services.formatter, app.notifier,
        clock=lambda: SUBSCRIBED + dt.timedelta(hours=3), today=lambda: TODAY,
    )
    return asyncio.new_event_loop().run_until_complete(sender.run_once())


def test_alerts_reach_telegram_once_and_respect_whatsapps_window(
    channel_app: App, platforms: FakePlatforms
) -> None:
    channel_app.conversations.clock = lambda: (SUBSCRIBED + dt.timedelta(hours=3)).timestamp()
    telegram = subscriber(channel_app, "telegram", "7001", "ht", SUBSCRIBED)
    # Wrote to us two days ago: outside WhatsApp's 24-hour window, and no template configured.
    subscriber(channel_app, "whatsapp", "whatsapp:+5215512345678", "es", SUBSCRIBED - dt.timedelta(days=2))
    store(channel_app.db, [offer("c1", "Cocinero de línea", "23", "Cancún")],
          now=SUBSCRIBED + dt.timedelta(hours=1))

    send_alerts(channel_app)
    to_telegram = platforms.sent("sendMessage", chat_id=7001)
    assert len(to_telegram) == 1
    assert "Cocinero de línea" in to_telegram[0].params["text"]
    assert not [c for c in platforms.attempts("Messages") if "5215512345678" in c.params.get("To", "")]

    send_alerts(channel_app)  # nothing new: nothing sent again
    assert len(platforms.sent("sendMessage", chat_id=7001)) == 1
    assert telegram
