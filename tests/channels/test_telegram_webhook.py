"""POST /webhooks/telegram as Telegram calls it: secret, malformed bodies, exactly once, order per
user, a database that goes away, deep links, blocked users, groups, and the reply in the body."""

from __future__ import annotations

import asyncio
import json

import httpx
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from bot.app import App
from db.tables import contacts, conversations, processed_messages
from tests.channels.drivers import TelegramUser
from tests.channels.fakes import FakePlatforms


def count(app: App, table) -> int:  # type: ignore[no-untyped-def]
    with app.db.transaction() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_forged_or_missing_secret_is_refused(telegram_user: TelegramUser, platforms: FakePlatforms, channel_app: App) -> None:
    update = telegram_user.update("text.json", text="hola")
    assert telegram_user.post(update, secret="guessed-secret").status_code == 403
    assert telegram_user.post(update, secret=None).status_code == 403
    assert platforms.sent() == []
    assert count(channel_app, contacts) == 0
    # The real secret still works for the same update: nothing was recorded by the refusals.
    assert telegram_user.post(update).status_code == 200
    assert len(platforms.sent()) == 1


def test_malformed_bodies_get_400_without_a_stack_trace(telegram_user: TelegramUser, channel_app: App) -> None:
    huge = json.dumps({"update_id": 7, "message": {"text": "x" * 300_000}}).encode()
    for raw in (b"{not json", b"[]", b'{"update_id": "12"}', b'{"update_id": 5, "message": {"text": 3}}', b"\xff\xfe", huge):
        response = telegram_user.post({}, raw=raw)
        assert response.status_code == 400, raw
        assert "Traceback" not in response.text and "Error" not in response.text
    assert count(channel_app, processed_messages) == 0


def test_a_single_reply_rides_in_the_webhook_response(telegram_user: TelegramUser, platforms: FakePlatforms) -> None:
    response = telegram_user.post(telegram_user.update("text.json", text="hola"))
    body = response.json()
    assert response.headers["content-type"] == "application/json"
    assert body["method"] == "sendMessage" and body["chat_id"] == telegram_user.user_id
    assert "¿En qué idioma" in body["text"]
    assert [b[0]["callback_data"] for b in body["reply_markup"]["inline_keyboard"]][0] == "language.pick.es"
    # No request of our own to the Bot API for it.
    assert platforms.attempts("sendMessage") == [c for c in platforms.calls if c.via == "webhook"]


def test_a_redelivered_update_gets_the_stored_answer_without_running_again(
    telegram_user: TelegramUser, platforms: FakePlatforms, channel_app: App
) -> None:
    update = telegram_user.update("text.json", text="hola")
    first = telegram_user.post(update)
    state = telegram_user.state()
    # Telegram sends an update again only when it did not get the response: the same answer.
    again = telegram_user.post(update)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and b"sendMessage" in again.content
    assert telegram_user.state() == state  # the turn did not run twice
    assert platforms.attempts("sendMessage") == [c for c in platforms.calls if c.via == "webhook"]
    assert count(channel_app, processed_messages) == 1


def test_a_tapped_button_is_answered_so_it_stops_spinning(telegram_user: TelegramUser, platforms: FakePlatforms) -> None:
    telegram_user.say("hola")
    telegram_user.tap_label("Español")
    # The reply came in the webhook's response; the button is answered right after it.
    assert "¿En qué te puedo ayudar?" in telegram_user.text
    answered = platforms.wait_for("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answered] == ["4382bfdwdsb323b2d9"]
    assert [c.answer for c in answered] == [200]


def test_two_updates_of_one_user_at_once_run_one_after_the_other(
    telegram_user: TelegramUser, channel_app: App, web: str, platforms: FakePlatforms
) -> None:
    telegram_user.say("hola")  # at the language question

    async def together() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=web) as client:
            posts = [
                client.post(
                    "/webhooks/telegram", json=telegram_user.update("text.json", text="1"),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cr3t-Webhook_token"},
                )
                for _ in range(2)
            ]
            return list(await asyncio.gather(*posts))

    responses = asyncio.run(together())
    texts = [r.json()["text"] for r in responses]
    assert sum("Listo, te escribiré en español." in t for t in texts) == 1
    # The other "1" saw the menu (not the language question again) and took its first option.
    assert sum("¿En qué idioma" in t for t in texts) == 0
    first = telegram_user.app.live.content.step("main.menu").choices[0].go or ""
    assert (telegram_user.state().step or "").split(".")[0] == first.split(".")[0]


def test_different_users_are_answered_in_parallel(channel_app: App, web: str, platforms: FakePlatforms, clock) -> None:  # type: ignore[no-untyped-def]
    users = [TelegramUser(channel_app, web, platforms, clock, user_id=6000 + n) for n in range(8)]

    async def everyone() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=web) as client:
            return list(await asyncio.gather(*(
                client.post("/webhooks/telegram", json=u.update("text.json", text="hola"),
                            headers={"X-Telegram-Bot-Api-Secret-Token": "s3cr3t-Webhook_token"})
                for u in users
            )))

    responses = asyncio.run(everyone())
    assert sorted(r.json()["chat_id"] for r in responses) == [6000 + n for n in range(8)]
    assert count(channel_app, contacts) == 8


def test_database_gone_mid_turn_answers_503_and_writes_nothing(
    telegram_user: TelegramUser, channel_app: App, platforms: FakePlatforms
) -> None:
    def connection_lost(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("INSERT INTO CONVERSATIONS", "UPDATE CONVERSATIONS")):
            raise OperationalError(statement, parameters, ConnectionError("server closed the connection"))

    update = telegram_user.update("start_deep_link.json", text="/start albergue_tapachula")
    event.listen(channel_app.db.engine, "before_cursor_execute", connection_lost)
    try:
        response = telegram_user.post(update)
    finally:
        event.remove(channel_app.db.engine, "before_cursor_execute", connection_lost)
    assert response.status_code == 503
    assert "Traceback" not in response.text
    # The message id, the contact and its referral were in the same transaction: all gone.
    assert count(channel_app, processed_messages) == 0
    assert count(channel_app, contacts) == 0
    assert count(channel_app, conversations) == 0
    assert platforms.sent() == []
    # Telegram delivers the update again once the database is back: answered exactly once.
    answered = telegram_user.post(update)
    assert answered.status_code == 200
    assert telegram_user.post(update).content == answered.content  # stored, not run again
    assert count(channel_app, processed_messages) == 1
    assert telegram_user.contact().referral == "albergue_tapachula"  # type: ignore[union-attr]


def test_a_deep_link_code_is_kept_on_the_contact(telegram_user: TelegramUser) -> None:
    telegram_user.send(is_start=True, referral="albergue-tapachula_2")
    assert telegram_user.contact().referral == "albergue-tapachula_2"  # type: ignore[union-attr]
    assert "¿En qué idioma" in telegram_user.text


def test_a_deep_link_with_characters_telegram_never_sends_is_ignored(telegram_user: TelegramUser) -> None:
    telegram_user.send(is_start=True, referral="x" * 80)
    assert telegram_user.contact().referral is None  # type: ignore[union-attr]
    assert "¿En qué idioma" in telegram_user.text


def test_blocking_the_bot_marks_the_contact_and_unblocking_clears_it(telegram_user: TelegramUser, platforms: FakePlatforms) -> None:
    telegram_user.say("hola")
    blocked = telegram_user.update("my_chat_member_kicked.json")
    assert telegram_user.post(blocked).status_code == 200
    assert telegram_user.contact().opted_out is True  # type: ignore[union-attr]
    unblocked = telegram_user.update("my_chat_member_unblocked.json")
    assert telegram_user.post(unblocked).status_code == 200
    assert telegram_user.contact().opted_out is False  # type: ignore[union-attr]
    assert len(platforms.sent()) == 1  # membership changes are not answered


def test_groups_and_edited_messages_get_no_answer(telegram_user: TelegramUser, platforms: FakePlatforms, channel_app: App) -> None:
    for name in ("group_message.json", "edited_message.json"):
        response = telegram_user.post(telegram_user.update(name))
        assert response.status_code == 200 and response.content == b""
    assert platforms.sent() == []
    assert count(channel_app, contacts) == 0


def test_every_kind_of_media_gets_the_kind_answer_and_the_question_again(telegram_user: TelegramUser) -> None:
    telegram_user.say("hola")
    telegram_user.say("1")
    for kind in ("photo", "voice", "sticker", "location", "document"):
        telegram_user.send(media=kind)
        assert "Por ahora solo puedo leer mensajes de texto" in telegram_user.text, kind
        assert "¿En qué te puedo ayudar?" in telegram_user.text, kind
    assert telegram_user.state().step == "main.menu"


def test_a_photo_with_a_caption_is_read_as_text(telegram_user: TelegramUser) -> None:
    telegram_user.say("hola")
    telegram_user.say("1")
    telegram_user.send(media="photo", text="mis datos")
    assert "Puente guarda solo lo necesario" in telegram_user.text


def test_metrics_count_turns_and_refusals_per_channel(telegram_user: TelegramUser, web: str) -> None:
    telegram_user.say("hola")
    telegram_user.say("1")
    telegram_user.post(telegram_user.update("text.json", text="x"), secret="wrong")
    text = httpx.get(f"{web}/metrics").text
    assert 'puente_turns_total{channel="telegram"} 2.0' in text
    assert 'puente_errors_total{channel="telegram",kind="forbidden"} 1.0' in text
    assert 'puente_turn_seconds_count{channel="telegram"} 2.0' in text


def test_answering_a_button_waits_out_a_429(
    telegram_user: TelegramUser, platforms: FakePlatforms, fake_time  # type: ignore[no-untyped-def]
) -> None:
    telegram_user.say("hola")
    platforms.fail("answerCallbackQuery", 429, retry_after=2)
    telegram_user.tap_label("Español")
    assert [c.answer for c in platforms.wait_for("answerCallbackQuery", 2)] == [429, 200]
    assert fake_time.sleeps == [2.0]
    assert "¿En qué te puedo ayudar?" in telegram_user.text


def test_taps_still_queued_at_shutdown_are_answered(
    telegram_user: TelegramUser, platforms: FakePlatforms, channel_app: App
) -> None:
    channel = channel_app.channels.telegram
    assert channel is not None

    async def tap_then_close() -> None:
        channel.acknowledge_soon("queued-at-shutdown")
        await channel.close()

    asyncio.run(tap_then_close())
    answered = platforms.sent("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answered] == ["queued-at-shutdown"]
