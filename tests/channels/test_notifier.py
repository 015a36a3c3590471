"""The Notifier for messages the bot sends first: Telegram and WhatsApp, the 24-hour window,
templates, opted-out users, retries that honour retry_after, blocked users, and the pace."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select

from bot.app import App
from bot.app import build_channels
from bot.messages import Choice, Delivery, DeliveryStatus, Inbound, Outbound, Template
from db import contacts as contact_store
from db.counters import totals
from db.outbound import outbound_messages, statuses
from tests.channels.conftest import FakeTime
from tests.channels.drivers import PUBLIC_URL, TelegramUser, WhatsAppUser, load_form
from tests.channels.fakes import FakePlatforms
from tests.support.clock import FakeClock

ALERT = [Outbound("Nueva vacante: ayudante de cocina en Tapachula.", (Choice("main.menu.privacy", "Ver más"),))]
TEMPLATE = Template("HX" + "d" * 32, {"1": "ayudante de cocina", "2": "Tapachula"})


def notify(app: App, contact_id: int, messages=ALERT, **options) -> Delivery:  # type: ignore[no-untyped-def]
    return run(app, app.notifier.send(contact_id, messages, **options))


def run(app: App, work):  # type: ignore[no-untyped-def]
    """As a command would: one event loop, and the connection pools closed at the end."""

    async def main():  # type: ignore[no-untyped-def]
        try:
            return await work
        finally:
            await app.aclose()

    return asyncio.run(main())


def contact_id(user: TelegramUser | WhatsAppUser) -> int:
    contact = user.contact()
    assert contact is not None
    return contact.id


def known_contacts(app: App, channel: str, keys: list[str]) -> list[int]:
    """Contacts who wrote a minute ago (quicker than chatting with each through the webhook)."""
    moment = dt.datetime.fromtimestamp(app.conversations.clock() - 60, dt.UTC)
    ids = []
    with app.db.transaction() as conn:
        for key in keys:
            contact = contact_store.find_or_create_contact(conn, channel, key, moment)
            contact_store.update_contact(conn, contact.id, last_inbound_at=moment, language="es")
            ids.append(contact.id)
    return ids


def rows(app: App) -> list[dict]:
    with app.db.transaction() as conn:
        return [dict(r._mapping) for r in conn.execute(select(outbound_messages).order_by(outbound_messages.c.id))]


@pytest.fixture
def tg(telegram_user: TelegramUser) -> TelegramUser:
    telegram_user.say("hola")
    telegram_user.say("1")
    return telegram_user


@pytest.fixture
def wa(whatsapp_user: WhatsAppUser) -> WhatsAppUser:
    whatsapp_user.say("Hola")
    whatsapp_user.say("1")
    return whatsapp_user


# -- Telegram ----------------------------------------------------------------------------------

def test_telegram_alert_is_sent_and_recorded(tg: TelegramUser, channel_app: App, platforms: FakePlatforms) -> None:
    delivery = notify(channel_app, contact_id(tg))
    assert delivery == Delivery(DeliveryStatus.SENT)
    sent = platforms.sent("sendMessage", chat_id=tg.user_id)[-1]
    assert sent.via == "api"
    assert sent.params["text"] == "Nueva vacante: ayudante de cocina en Tapachula."
    assert sent.params["reply_markup"]["inline_keyboard"] == [[{"text": "Ver más", "callback_data": "main.menu.privacy"}]]
    [row] = rows(channel_app)
    assert (row["status"], row["kind"], row["channel"]) == ("sent", "alert", "telegram")
    assert row["external_id"].startswith(f"{tg.user_id}:")
    # The alert's button works later, from any point of the conversation.
    tg.tap("main.menu.privacy")
    assert "Puente guarda solo lo necesario" in tg.text


def test_telegram_429_waits_retry_after_then_sends(tg: TelegramUser, channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    platforms.fail("sendMessage", 429, retry_after=7)
    assert notify(channel_app, contact_id(tg)).status == DeliveryStatus.SENT
    assert 7.0 in fake_time.sleeps
    assert [c.answer for c in platforms.attempts("sendMessage") if c.via == "api"] == [429, 200]


def test_telegram_5xx_backs_off_then_sends(tg: TelegramUser, channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    platforms.fail("sendMessage", 502, times=2)
    assert notify(channel_app, contact_id(tg)).status == DeliveryStatus.SENT
    assert fake_time.sleeps == [0.5, 1.0]


def test_telegram_that_keeps_failing_is_reported_and_kept(tg: TelegramUser, channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    platforms.fail("sendMessage", 500, times=10)
    delivery = notify(channel_app, contact_id(tg))
    assert delivery.status == DeliveryStatus.FAILED
    assert fake_time.sleeps == [0.5, 1.0, 2.0, 4.0]  # five tries in all
    assert [r["status"] for r in rows(channel_app)] == ["failed"]


def test_a_retry_after_too_long_is_not_waited_for(tg: TelegramUser, channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    platforms.fail("sendMessage", 429, retry_after=3600)
    assert notify(channel_app, contact_id(tg)).status == DeliveryStatus.FAILED
    assert fake_time.sleeps == []


def test_a_user_who_blocked_the_bot_is_never_messaged_first_again(tg: TelegramUser, channel_app: App, platforms: FakePlatforms) -> None:
    platforms.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    assert notify(channel_app, contact_id(tg)).status == DeliveryStatus.OPTED_OUT
    assert tg.contact().opted_out is True  # type: ignore[union-attr]
    before = len(platforms.attempts("sendMessage"))
    assert notify(channel_app, contact_id(tg)).status == DeliveryStatus.OPTED_OUT
    assert len(platforms.attempts("sendMessage")) == before  # not even tried
    assert [r["status"] for r in rows(channel_app)] == ["opted_out", "opted_out"]
    # Replies to the user's own messages still work.
    tg.say("menú")
    assert "¿En qué te puedo ayudar?" in tg.text


def test_one_chat_gets_at_most_one_message_a_second(tg: TelegramUser, channel_app: App, fake_time: FakeTime) -> None:
    for _ in range(3):
        assert notify(channel_app, contact_id(tg)).status == DeliveryStatus.SENT
    assert fake_time.sleeps == [1.0, 1.0]


def paced(app: App, fake_time: FakeTime, **rates: int) -> None:
    """The app's channels rebuilt with other messages-per-second budgets (fewer messages to
    send in a test; the defaults are Telegram's 30/s and Twilio's 80/s)."""
    settings = dataclasses.replace(app.settings, **rates)
    app.channels = build_channels(settings, app.live, app.metrics, pace=fake_time.pace())


def test_the_default_budgets_are_the_platforms_limits(channel_app: App) -> None:
    assert channel_app.settings.telegram_messages_per_second == 30
    assert channel_app.settings.whatsapp_messages_per_second == 80
    assert channel_app.channels.telegram.client.bucket.rate == 30  # type: ignore[union-attr]
    assert channel_app.channels.whatsapp.client.bucket.rate == 80  # type: ignore[union-attr]


def test_the_bot_stays_under_its_messages_per_second(channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    paced(channel_app, fake_time, telegram_messages_per_second=4)
    ids = known_contacts(channel_app, "telegram", [str(7100 + n) for n in range(7)])

    async def broadcast() -> list[Delivery]:
        return list(await asyncio.gather(*(channel_app.notifier.send(i, ALERT) for i in ids)))

    started = fake_time.now
    assert {d.status for d in run(channel_app, broadcast())} == {DeliveryStatus.SENT}
    # 4 at once, then the other 3 at 4 per second.
    assert fake_time.now - started == pytest.approx(3 / 4, abs=0.01)
    assert len(platforms.sent("sendMessage")) == 7


# -- WhatsApp ----------------------------------------------------------------------------------

def test_whatsapp_alert_inside_the_window_is_a_free_text(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms) -> None:
    assert notify(channel_app, contact_id(wa)).status == DeliveryStatus.SENT
    sent = platforms.sent("Messages", To=wa.user)[-1]
    assert sent.via == "api"
    # Bullets, not numbers: "1" would be read against the question the user is at.
    assert sent.params["Body"] == "Nueva vacante: ayudante de cocina en Tapachula.\n\n• Ver más"
    assert sent.params["StatusCallback"] == PUBLIC_URL + "/webhooks/whatsapp/status"
    [row] = rows(channel_app)
    assert (row["status"], row["external_id"]) == ("sent", sent.params["Sid"])


def test_whatsapp_outside_the_window_without_template_is_kept_and_counted(
    wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms, clock: FakeClock
) -> None:
    clock.advance(24 * 3600 + 60)
    before = len(platforms.calls)
    delivery = notify(channel_app, contact_id(wa))
    assert delivery.status == DeliveryStatus.NOT_SENDABLE
    assert len(platforms.calls) == before  # nothing went to Twilio
    [row] = rows(channel_app)
    assert row["status"] == "not_sendable" and row["body"]["text"].startswith("Nueva vacante")
    with channel_app.db.transaction() as conn:
        assert totals(conn, "outbound") == {"whatsapp:alert:not_sendable": 1}


def test_whatsapp_outside_the_window_sends_the_template(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms, clock: FakeClock) -> None:
    clock.advance(30 * 3600)
    assert notify(channel_app, contact_id(wa), template=TEMPLATE).status == DeliveryStatus.SENT
    sent = platforms.sent("Messages", To=wa.user)[-1].params
    assert sent["ContentSid"] == TEMPLATE.content_sid and "Body" not in sent
    assert json.loads(sent["ContentVariables"]) == {"1": "ayudante de cocina", "2": "Tapachula"}


def test_whatsapp_inside_the_window_prefers_the_messages_to_the_template(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms) -> None:
    assert notify(channel_app, contact_id(wa), template=TEMPLATE).status == DeliveryStatus.SENT
    assert "ContentSid" not in platforms.sent("Messages", To=wa.user)[-1].params


def test_whatsapp_user_who_said_stop_is_not_messaged(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms) -> None:
    wa.say("STOP")
    before = len(platforms.calls)
    assert notify(channel_app, contact_id(wa), template=TEMPLATE).status == DeliveryStatus.OPTED_OUT
    assert len(platforms.calls) == before
    assert [r["status"] for r in rows(channel_app)] == ["opted_out"]


def test_twilio_21610_marks_the_contact_opted_out(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms) -> None:
    platforms.fail("Messages", 400, code=21610, description="Attempt to send to unsubscribed recipient")
    assert notify(channel_app, contact_id(wa)).status == DeliveryStatus.OPTED_OUT
    assert wa.contact().opted_out is True  # type: ignore[union-attr]
    assert [(r["status"], r["error"]) for r in rows(channel_app)] == [("opted_out", "21610")]


def test_twilio_429_honours_retry_after_and_5xx_backs_off(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    platforms.fail("Messages", 429, code=20429, retry_after=4, description="Too Many Requests")
    platforms.fail("Messages", 503, code=20503, description="Service unavailable")
    assert notify(channel_app, contact_id(wa)).status == DeliveryStatus.SENT
    assert fake_time.sleeps == [4.0, 1.0]


def test_twilio_refusal_is_failed_not_retried(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    platforms.fail("Messages", 400, code=21211, description="Invalid 'To' Phone Number")
    delivery = notify(channel_app, contact_id(wa))
    assert delivery == Delivery(DeliveryStatus.FAILED, "21211")
    assert fake_time.sleeps == []


def test_whatsapp_sender_stays_under_its_pace(channel_app: App, platforms: FakePlatforms, fake_time: FakeTime) -> None:
    paced(channel_app, fake_time, whatsapp_messages_per_second=5)
    ids = known_contacts(channel_app, "whatsapp", [f"whatsapp:+52155{n:08d}" for n in range(8)])

    async def broadcast() -> list[Delivery]:
        return list(await asyncio.gather(*(channel_app.notifier.send(i, ALERT) for i in ids)))

    started = fake_time.now
    assert {d.status for d in run(channel_app, broadcast())} == {DeliveryStatus.SENT}
    assert fake_time.now - started == pytest.approx(3 / 5, abs=0.01)
    assert len(platforms.sent("Messages")) == 8


def test_a_status_report_updates_the_alert_and_never_goes_back(wa: WhatsAppUser, channel_app: App, platforms: FakePlatforms) -> None:
    notify(channel_app, contact_id(wa))
    sid = platforms.sent("Messages", To=wa.user)[-1].params["Sid"]

    def report(status: str) -> None:
        form = load_form("status_delivered.form")
        form.update(MessageSid=sid, SmsSid=sid, MessageStatus=status, SmsStatus=status, To=wa.user)
        assert wa.post(form, path="/webhooks/whatsapp/status").status_code == 204

    report("read")
    report("delivered")  # late and out of order
    with channel_app.db.transaction() as conn:
        assert statuses(conn) == [("alert", "read")]


# -- either ------------------------------------------------------------------------------------

def test_unknown_contacts_and_console_users_cannot_be_notified(channel_app: App) -> None:
    assert notify(channel_app, 424242).status == DeliveryStatus.FAILED
    asyncio.run(channel_app.conversations.handle(Inbound("console", "ana", text="hola")))
    with channel_app.db.transaction() as conn:
        console = contact_store.find_contact(conn, "console", "ana")
    assert console is not None
    assert notify(channel_app, console.id) == Delivery(DeliveryStatus.FAILED, "no channel is configured for this contact")
    assert rows(channel_app) == []


def test_deleting_my_data_deletes_the_alerts_too(tg: TelegramUser, channel_app: App) -> None:
    notify(channel_app, contact_id(tg))
    assert len(rows(channel_app)) == 1
    tg.say("borrar mis datos")
    tg.say("sí")
    assert rows(channel_app) == []


def test_nothing_to_send_is_a_failure_not_a_crash(wa: WhatsAppUser, tg: TelegramUser, channel_app: App) -> None:
    assert notify(channel_app, contact_id(wa), messages=[]) == Delivery(DeliveryStatus.FAILED, "nothing to send")
    assert notify(channel_app, contact_id(tg), messages=[]) == Delivery(DeliveryStatus.FAILED, "nothing to send")
    # Inside the window, a template alone is sent as it is.
    assert notify(channel_app, contact_id(wa), messages=[], template=TEMPLATE).status == DeliveryStatus.SENT
