"""Alerts: new matching vacancies go out once per vacancy and user, in the user's language,
through the Notifier port; opted-out users get nothing; "not sendable now" is kept for later."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import text

from bot.app import App
from bot.messages import DeliveryStatus
from bot.vacancies.alerts import AlertSender
from bot.vacancies.spec import SearchSpec
from db import contacts as contact_store
from db.counters import totals
from db.vacancies.alerts import add_alert, alerts_of, sent_count
from tests.support.chat import Chat
from tests.vacancies.fixtures import TODAY, FakeNotifier, offer, store

SUBSCRIBED = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
BEFORE, AFTER = SUBSCRIBED - dt.timedelta(hours=1), SUBSCRIBED + dt.timedelta(hours=1)
COOK_IN_CANCUN = SearchSpec(trades=("cooking",), state="23", city="Cancún")


def contact(app: App, user: str, language: str, *, opted_out: bool = False) -> int:
    with app.db.transaction() as conn:
        found = contact_store.find_or_create_contact(conn, "telegram", user, SUBSCRIBED)
        contact_store.update_contact(conn, found.id, language=language, opted_out=opted_out)
        return found.id


def subscribe(app: App, contact_id: int, spec: SearchSpec = COOK_IN_CANCUN) -> None:
    with app.db.transaction() as conn:
        assert add_alert(conn, contact_id, spec.to_json(), spec.key(), SUBSCRIBED) == "added"


def sender(app: App, notifier: FakeNotifier, **kwargs: object) -> AlertSender:
    return AlertSender(app.db, lambda: app.live.content, app.services.formatter, notifier,
                       clock=lambda: AFTER + dt.timedelta(hours=2), today=lambda: TODAY, **kwargs)  # type: ignore[arg-type]


def run(app: App, notifier: FakeNotifier, **kwargs: object) -> object:
    return asyncio.new_event_loop().run_until_complete(sender(app, notifier, **kwargs).run_once())


@pytest.fixture
def offers(app: App) -> App:
    """Two cooks in Cancún: one imported before the alert was saved, one after."""
    store(app.db, [offer("old", "Cocinero", "23", "Cancún")], now=BEFORE)
    store(app.db, [offer("new", "Cocinero de línea", "23", "Cancún", salary_min=12000, salary_max=15000)], now=AFTER)
    store(app.db, [offer("far", "Cocinero", "14", "Guadalajara")], now=AFTER)
    return app


def test_a_new_matching_vacancy_is_sent_once_in_the_users_language(offers: App) -> None:
    ana, john = contact(offers, "ana", "es"), contact(offers, "john", "en")
    subscribe(offers, ana)
    subscribe(offers, john)
    notifier = FakeNotifier()
    report = run(offers, notifier)
    assert report.messages == 2 and report.vacancies == 2  # type: ignore[attr-defined]
    by_contact = {s.contact_id: s.messages[0] for s in notifier.sent}
    spanish, english = by_contact[ana], by_contact[john]
    assert spanish.text.startswith("🔔 Vacantes nuevas para tu alerta «Cocinero · Cancún, Quintana Roo»:")
    assert "1. Cocinero de línea" in spanish.text and "$12,000.00 a $15,000.00 al mes" in spanish.text
    assert "Cocinero\n" not in spanish.text  # published before the alert was saved
    assert english.text.startswith("🔔 New jobs for your alert “Cook · Cancún, Quintana Roo”:")
    assert "MX$12,000.00 to MX$15,000.00 a month" in english.text
    assert [c.id for c in spanish.choices] == [
        "vacancies.alerts_menu.new", "vacancies.alerts_menu.stop", "vacancies.alerts_menu.menu"]
    assert [c.label for c in english.choices] == ["See new jobs", "Stop alerts", "Main menu"]
    assert all(s.kind == "alert" and s.template is None for s in notifier.sent)

    again = FakeNotifier()
    assert run(offers, again).messages == 0  # type: ignore[attr-defined]
    assert again.sent == []


def test_opted_out_users_get_nothing(offers: App) -> None:
    quiet = contact(offers, "quiet", "es", opted_out=True)
    subscribe(offers, quiet)
    notifier = FakeNotifier()
    run(offers, notifier)
    assert notifier.sent == []


def test_not_sendable_now_is_kept_counted_and_sent_later(offers: App) -> None:
    maria = contact(offers, "maria", "pt")
    subscribe(offers, maria)
    closed = FakeNotifier(answers={maria: DeliveryStatus.NOT_SENDABLE})
    report = run(offers, closed)
    assert report.not_sendable == 1 and closed.sent == []  # type: ignore[attr-defined]
    with offers.db.transaction() as conn:
        assert sent_count(conn, maria) == 0
        assert totals(conn, "alert") == {"not_sendable": 1}
    opened = FakeNotifier()
    run(offers, opened)
    assert [s.contact_id for s in opened.sent] == [maria]
    assert "Vagas novas para o seu alerta «Cozinheiro · Cancún, Quintana Roo»:" in opened.sent[0].messages[0].text


def test_a_user_who_blocked_the_bot_is_marked_opted_out(offers: App) -> None:
    gone = contact(offers, "gone", "fr")
    subscribe(offers, gone)
    report = run(offers, FakeNotifier(answers={gone: DeliveryStatus.OPTED_OUT}, db=offers.db))
    assert report.opted_out == 1  # type: ignore[attr-defined]
    with offers.db.transaction() as conn:
        opted = conn.execute(text("SELECT opted_out FROM contacts WHERE id = :id"), {"id": gone}).scalar_one()
        assert opted
    later = FakeNotifier()
    run(offers, later)
    assert later.sent == []


def test_two_alerts_matching_one_vacancy_send_it_once(offers: App) -> None:
    ana = contact(offers, "ana", "es")
    subscribe(offers, ana)
    subscribe(offers, ana, SearchSpec(trades=("cooking",)))
    notifier = FakeNotifier()
    run(offers, notifier)
    assert len(notifier.sent) == 1
    message = notifier.sent[0].messages[0].text
    assert message.startswith("🔔 Vacantes nuevas para tus alertas:")
    assert message.count("Cocinero de línea") == 1 and "Guadalajara" in message


def test_a_template_is_offered_for_whatsapp_users_outside_the_window(offers: App) -> None:
    ana = contact(offers, "ana", "es")
    subscribe(offers, ana)
    notifier = FakeNotifier()
    run(offers, notifier, templates={"es": "HXalerts_es"})
    template = notifier.sent[0].template
    assert template is not None and template.content_sid == "HXalerts_es"
    assert template.variables == {"1": "1", "2": "Cocinero · Cancún, Quintana Roo"}


def test_the_stop_button_of_an_alert_unsubscribes(offers: App, loop: asyncio.AbstractEventLoop) -> None:
    chat = Chat(offers, loop, offers.conversations.clock, channel="telegram", user="ana")  # type: ignore[arg-type]
    chat.say("hola")
    chat.say("español")
    ana = contact(offers, "ana", "es")
    subscribe(offers, ana)
    notifier = FakeNotifier()
    run(offers, notifier)
    stop = next(c for c in notifier.sent[0].messages[0].choices if c.label == "Dejar de recibir alertas")
    chat.tap(stop.id)
    assert "Listo. Ya no recibirás avisos para «Cocinero · Cancún, Quintana Roo»." in chat.text
    with offers.db.transaction() as conn:
        assert alerts_of(conn, ana) == []


def test_see_new_offers_lists_what_alerts_sent(offers: App, loop: asyncio.AbstractEventLoop) -> None:
    chat = Chat(offers, loop, offers.conversations.clock, channel="telegram", user="ana")  # type: ignore[arg-type]
    chat.say("hola")
    chat.say("español")
    ana = contact(offers, "ana", "es")
    subscribe(offers, ana)
    notifier = FakeNotifier()
    run(offers, notifier)
    see = next(c for c in notifier.sent[0].messages[0].choices if c.label == "Ver vacantes nuevas")
    chat.tap(see.id)
    assert "1. Cocinero de línea" in chat.text and "Guadalajara" not in chat.text


def test_deleting_my_data_removes_alerts_and_what_was_sent(offers: App) -> None:
    ana = contact(offers, "ana", "es")
    subscribe(offers, ana)
    run(offers, FakeNotifier())
    with offers.db.transaction() as conn:
        assert sent_count(conn, ana) == 1
        contact_store.delete_contact(conn, ana)
        assert conn.execute(text("SELECT count(*) FROM vacancy_alerts")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM vacancy_alerts_sent")).scalar_one() == 0
