"""POST /webhooks/whatsapp and /webhooks/whatsapp/status as Twilio calls them: signatures,
malformed forms, exactly once, TwiML replies, STOP / START, quick replies and list pickers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.engine import CompiledContent
from bot.settings import Settings
from bot.web.app import create_web_app
from db.counters import totals
from db.tables import contacts, processed_messages
from tests.channels.conftest import LIST_PICKERS, QUICK_REPLIES, FakeTime, channel_environment, make_app
from tests.channels.drivers import PUBLIC_URL, ChannelUser, WhatsAppUser, load_form, sign
from tests.channels.fakes import FakePlatforms, ServerThread
from tests.support.clock import FakeClock


def count(app: App, table) -> int:  # type: ignore[no-untyped-def]
    with app.db.transaction() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def twilio_messages(platforms: FakePlatforms, to: str) -> list[dict[str, str]]:
    return [c.params for c in platforms.sent("Messages") if c.params.get("To") == to]


def test_a_forged_signature_is_refused(whatsapp_user: WhatsAppUser, platforms: FakePlatforms, channel_app: App) -> None:
    form = whatsapp_user.form("text.form", Body="hola")
    assert whatsapp_user.post(form, signature="bm90IGEgc2lnbmF0dXJl").status_code == 403
    assert whatsapp_user.post(form, signature="").status_code == 403
    # Signed for another address, or a field changed after signing.
    assert whatsapp_user.post(form, signature=sign("https://attacker.example/webhooks/whatsapp", form)).status_code == 403
    tampered = {**form, "Body": "borrar mis datos"}
    assert whatsapp_user.post(tampered, signature=sign(PUBLIC_URL + "/webhooks/whatsapp", form)).status_code == 403
    assert count(channel_app, contacts) == 0 and platforms.calls == []
    # The genuine request goes through.
    assert whatsapp_user.post(form).status_code == 200


def test_malformed_posts_get_400_without_a_stack_trace(whatsapp_user: WhatsAppUser, web: str, channel_app: App) -> None:
    url = f"{web}/webhooks/whatsapp"
    json_body = httpx.post(url, json={"Body": "hola"}, headers={"X-Twilio-Signature": "x"})
    broken = httpx.post(url, content=b"Body=hola&From", headers={"Content-Type": "application/x-www-form-urlencoded"})
    not_utf8 = httpx.post(url, content=b"Body=\xff\xfe", headers={"Content-Type": "application/x-www-form-urlencoded"})
    # Signed correctly, but not a WhatsApp message (no MessageSid).
    form = whatsapp_user.form("text.form", Body="hola")
    del form["MessageSid"], form["SmsMessageSid"]
    unsigned_fields = whatsapp_user.post(form)
    huge_form = whatsapp_user.form("text.form", Body="x" * 300_000)
    huge = whatsapp_user.post(huge_form)
    for response in (json_body, broken, not_utf8, unsigned_fields, huge):
        assert response.status_code == 400, response.text
        assert "Traceback" not in response.text
    assert count(channel_app, processed_messages) == 0


def test_replies_come_back_as_twiml_numbered(whatsapp_user: WhatsAppUser) -> None:
    response = whatsapp_user.post(whatsapp_user.form("text.form", Body="Hola"))
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>')
    assert "\n1. Español\n2. Kreyòl Ayisyen\n3. Français\n4. English\n5. Português</Message>" in response.text


def test_a_redelivered_message_gets_the_stored_answer_without_running_again(
    whatsapp_user: WhatsAppUser, platforms: FakePlatforms, channel_app: App
) -> None:
    form = whatsapp_user.form("text.form", Body="Hola")
    first = whatsapp_user.post(form)
    state = whatsapp_user.state()
    # Twilio posts a message again only when it did not get the TwiML: the same answer.
    again = whatsapp_user.post(form)
    assert "<Message>" in first.text
    assert again.status_code == 200 and again.text == first.text
    assert whatsapp_user.state() == state
    assert count(channel_app, processed_messages) == 1


def test_two_messages_of_one_user_at_once_run_one_after_the_other(whatsapp_user: WhatsAppUser, web: str) -> None:
    whatsapp_user.say("Hola")
    forms = [whatsapp_user.form("text.form", Body="1") for _ in range(2)]

    async def together() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=web) as client:
            return list(await asyncio.gather(*(
                client.post("/webhooks/whatsapp", content=urlencode(f), headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": sign(PUBLIC_URL + "/webhooks/whatsapp", f),
                })
                for f in forms
            )))

    texts = [r.text for r in asyncio.run(together())]
    assert sum("Listo, te escribiré en español." in t for t in texts) == 1
    # The other "1" saw the menu (not the language question again) and took its first option.
    assert sum("¿En qué idioma" in t for t in texts) == 0
    first = whatsapp_user.app.live.content.step("main.menu").choices[0].go or ""
    assert (whatsapp_user.state().step or "").split(".")[0] == first.split(".")[0]


def test_a_haitian_number_is_offered_creole_first(channel_app: App, web: str, platforms: FakePlatforms, clock: FakeClock) -> None:
    user = WhatsAppUser(channel_app, web, platforms, clock, number="+50937001234")
    user.say("alo")
    assert user.labels[0] == "Kreyòl Ayisyen"
    assert user.text.startswith("Nan ki lang ou vle m ekri w?")


def test_media_is_answered_kindly_and_the_question_asked_again(whatsapp_user: WhatsAppUser) -> None:
    whatsapp_user.say("Hola")
    whatsapp_user.say("1")
    for kind in ("photo", "voice", "location"):
        whatsapp_user.send(media=kind)
        assert "Por ahora solo puedo leer mensajes de texto" in whatsapp_user.text, kind
        assert "¿En qué te puedo ayudar?" in whatsapp_user.text, kind


def test_stop_and_start(whatsapp_user: WhatsAppUser, channel_app: App, platforms: FakePlatforms) -> None:
    whatsapp_user.say("Hola")
    whatsapp_user.say("1")
    stop = whatsapp_user.form("text.form", Body="stop")
    whatsapp_user.post(stop)
    assert "Puente ya no te enviará avisos" in whatsapp_user.received()[-1].text
    assert whatsapp_user.contact().opted_out is True  # type: ignore[union-attr]
    assert whatsapp_user.post(stop).text.count("<Message>") == 0  # redelivered STOP: no second answer
    # The conversation itself goes on: STOP only stops messages the bot would send first.
    whatsapp_user.say("menú")
    assert "¿En qué te puedo ayudar?" in whatsapp_user.text
    whatsapp_user.say("START")
    assert "volverás a recibir avisos" in whatsapp_user.text
    assert whatsapp_user.contact().opted_out is False  # type: ignore[union-attr]
    with channel_app.db.transaction() as conn:
        assert totals(conn, "opt_out") == {"whatsapp": 1}
        assert totals(conn, "opt_in") == {"whatsapp": 1}


def test_start_from_someone_who_never_stopped_is_an_ordinary_message(whatsapp_user: WhatsAppUser) -> None:
    whatsapp_user.say("Start")
    assert "¿En qué idioma quieres que te escriba?" in whatsapp_user.text


def test_stop_from_a_new_number_in_creole_and_opt_out_declared_by_twilio(
    channel_app: App, web: str, platforms: FakePlatforms, clock: FakeClock
) -> None:
    haitian = WhatsAppUser(channel_app, web, platforms, clock, number="+50937005555")
    haitian.say("STOP")
    assert "Puente p ap voye avi ba ou ankò" in haitian.text
    assert haitian.contact().opted_out is True  # type: ignore[union-attr]
    # With Twilio's Advanced Opt-Out, the keyword may be a local word, named in OptOutType.
    other = WhatsAppUser(channel_app, web, platforms, clock, number="+5215500000001")
    other.post(other.form("text.form", Body="BAJA", OptOutType="STOP"))
    assert other.contact().opted_out is True  # type: ignore[union-attr]


def test_tapped_quick_replies_and_list_items_arrive_as_their_ids(whatsapp_user: WhatsAppUser) -> None:
    whatsapp_user.say("Hola")
    whatsapp_user.tap("language.pick.pt")  # ButtonPayload (button.form)
    assert "Pronto, vou escrever em português." in whatsapp_user.text
    mark = len(whatsapp_user.platforms.calls)
    # ListId (list.form); its Body is the item's title, which alone would not be understood.
    form = whatsapp_user.form("list.form", ListId="main.menu.privacy", ListTitle="Meus dados", Body="Meus dados")
    whatsapp_user.post(form)
    assert "O Puente guarda só o necessário" in whatsapp_user.received(since=mark)[-1].text


def test_status_callbacks_are_recorded_and_21610_opts_out(whatsapp_user: WhatsAppUser, channel_app: App) -> None:
    whatsapp_user.say("Hola")
    status = load_form("status_delivered.form")
    status["To"] = whatsapp_user.user
    assert whatsapp_user.post(status, path="/webhooks/whatsapp/status").status_code == 204
    failed = load_form("status_failed_21610.form")
    failed["To"] = whatsapp_user.user
    assert whatsapp_user.post(failed, path="/webhooks/whatsapp/status").status_code == 204
    # Twilio posts a callback again when it did not get our answer: counted once.
    assert whatsapp_user.post(status, path="/webhooks/whatsapp/status").status_code == 204
    assert whatsapp_user.post(failed, path="/webhooks/whatsapp/status").status_code == 204
    assert whatsapp_user.contact().opted_out is True  # type: ignore[union-attr]
    with channel_app.db.transaction() as conn:
        assert totals(conn, "whatsapp_status") == {"delivered": 1, "failed": 1}
        assert totals(conn, "whatsapp_error") == {"21610": 1}
    forged = whatsapp_user.post(status, path="/webhooks/whatsapp/status", signature="Zm9yZ2Vk")
    assert forged.status_code == 403
    del status["MessageStatus"]
    assert whatsapp_user.post(status, path="/webhooks/whatsapp/status").status_code == 400


# -- quick replies and list pickers (Content SIDs configured) -----------------------------------

@pytest.fixture
def interactive(
    database_url: str, platforms: FakePlatforms, content: CompiledContent, clock: FakeClock, fake_time: FakeTime
) -> Iterator[tuple[App, WhatsAppUser]]:
    settings = Settings.from_mapping(channel_environment(
        database_url, platforms,
        TWILIO_QUICK_REPLY_SIDS=",".join(f"{n}={sid}" for sid, n in QUICK_REPLIES.items()),
        TWILIO_LIST_PICKER_SIDS=",".join(f"{n}={sid}" for sid, n in LIST_PICKERS.items()),
    ))
    platforms.reset()
    app = make_app(settings, content, clock, fake_time)
    kinds = {**{sid: "quick" for sid in QUICK_REPLIES}, **{sid: "list" for sid in LIST_PICKERS}}
    with ServerThread(create_web_app(app)) as server:
        yield app, WhatsAppUser(app, server.url, platforms, clock, templates=kinds)
        ChannelUser.close_all()
    app.close()


def test_choices_become_a_list_picker_and_quick_replies(interactive: tuple[App, WhatsAppUser], platforms: FakePlatforms) -> None:
    app, user = interactive
    response = user.post(user.form("text.form", Body="Hola"))
    # Sent through the REST API (TwiML cannot carry a Content template): the response is empty.
    assert "<Message>" not in response.text
    sent = twilio_messages(platforms, user.user)
    assert sent[-1]["ContentSid"] == next(iter(LIST_PICKERS))
    variables = json.loads(sent[-1]["ContentVariables"])
    assert variables["2"] == "Ver opciones"
    assert (variables["3"], variables["4"]) == ("Español", "language.pick.es")
    assert sent[-1]["StatusCallback"] == PUBLIC_URL + "/webhooks/whatsapp/status"
    user.last = user.received()
    user.tap_label("English")  # arrives as ButtonPayload
    assert "Done, I will write to you in English." in user.text
    assert "My data and privacy" in user.labels
    user.tap_label("My data and privacy")
    assert "This is what Puente keeps about you right now:" in user.text
    # Two short choices ("Delete my data", "Back to the menu") become quick replies.
    summary = twilio_messages(platforms, user.user)[-1]
    assert summary["ContentSid"] == next(sid for sid, n in QUICK_REPLIES.items() if n == 2)
    assert user.labels == ["Delete my data", "Back to the menu"]


def test_a_quick_reply_label_too_long_for_whatsapp_falls_back_to_numbers(
    interactive: tuple[App, WhatsAppUser], platforms: FakePlatforms
) -> None:
    app, user = interactive
    user.say("Hola")
    user.tap_label("Français")
    # "Mes données et ma vie privée" is longer than WhatsApp allows for a button or list item.
    assert "Mes données et ma vie privée" in user.labels
    assert "ContentSid" not in twilio_messages(platforms, user.user)[-1]
    user.tap_label("Mes données et ma vie privée")  # the user types "1"
    assert "Puente ne garde que le nécessaire" in user.text


def test_a_rest_reply_waits_out_twilio_429_and_5xx(
    interactive: tuple[App, WhatsAppUser], platforms: FakePlatforms, fake_time: FakeTime
) -> None:
    app, user = interactive
    platforms.fail("Messages", 429, code=20429, retry_after=2, description="Too Many Requests")
    platforms.fail("Messages", 500, code=20500, description="Internal Server Error")
    user.say("Hola")
    assert fake_time.sleeps == [2.0, 1.0]
    assert user.labels[:2] == ["Español", "Kreyòl Ayisyen"]  # delivered after the retries


def test_a_reply_twilio_refuses_for_stop_marks_the_user(
    interactive: tuple[App, WhatsAppUser], platforms: FakePlatforms
) -> None:
    app, user = interactive
    platforms.fail("Messages", 400, code=21610, description="Attempt to send to unsubscribed recipient")
    assert user.post(user.form("text.form", Body="Hola")).status_code == 200
    assert user.contact().opted_out is True  # type: ignore[union-attr]
