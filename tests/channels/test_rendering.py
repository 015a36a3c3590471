"""Replies fitted to each platform: merged bubbles, 4,096 / 1,600-character cuts on paragraphs,
button ids Telegram would refuse, WhatsApp's limits for quick replies and lists."""

from __future__ import annotations

import pytest

from bot.channels.pacing import Backoff
from bot.channels.telegram.render import render as render_telegram
from bot.channels.text import merge_replies, split_text, utf16_length
from bot.channels.whatsapp.inbound import keyword, read_form
from bot.channels.whatsapp.render import WhatsAppRenderer, twiml
from bot.messages import Choice, Media, Outbound
from tests.channels.drivers import load_form

PARAGRAPH = "Tienes derecho a un contrato por escrito. " * 20  # ~840 characters


def test_long_text_is_cut_on_paragraph_boundaries() -> None:
    text = "\n\n".join(f"{n}. {PARAGRAPH.strip()}" for n in range(12))
    pieces = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    # Every piece ends where a paragraph ends.
    assert all(p.endswith("escrito.") for p in pieces)
    assert len(pieces) == 3


def test_a_paragraph_longer_than_the_limit_is_cut_at_a_sentence_then_a_word() -> None:
    sentences = split_text(PARAGRAPH * 3, 1600)
    assert all(len(p) <= 1600 and p.endswith("escrito.") for p in sentences)
    words = split_text("palabra " * 500, 1600)
    assert all(len(p) <= 1600 and not p.endswith("palabr") for p in words)
    assert split_text("x" * 5000, 1600) == ["x" * 1600] * 3 + ["x" * 200]


def test_telegram_counts_emoji_as_two() -> None:
    text = "🙂" * 3000  # 3,000 characters, 6,000 UTF-16 code units
    pieces = split_text(text, 4096, utf16_length)
    assert [utf16_length(p) for p in pieces] == [4096, 1904]


def test_consecutive_replies_become_one_message_and_buttons_stay_with_their_text() -> None:
    replies = [Outbound("Listo."), Outbound("Soy Puente."), Outbound("¿Qué quieres?", (Choice("a.b.c", "Algo"),)), Outbound("Otra cosa.")]
    merged = merge_replies(replies, 4096)
    assert merged == [Outbound("Listo.\n\nSoy Puente.\n\n¿Qué quieres?", (Choice("a.b.c", "Algo"),)), Outbound("Otra cosa.")]
    assert merge_replies([Outbound("a" * 3000), Outbound("b" * 3000)], 4096) == [Outbound("a" * 3000), Outbound("b" * 3000)]


def test_telegram_buttons_go_under_the_last_piece_of_a_long_text() -> None:
    long = "\n\n".join([PARAGRAPH] * 10)
    messages = render_telegram(42, [Outbound(long, (Choice("main.menu.privacy", "Mis datos"),))])
    assert len(messages) == 3
    assert [bool(m.choices) for m in messages] == [False, False, True]
    body = messages[-1].webhook_reply()
    assert body["reply_markup"] == {"inline_keyboard": [[{"text": "Mis datos", "callback_data": "main.menu.privacy"}]]}
    # The same shape python-telegram-bot writes for the API.
    assert body["reply_markup"] == messages[-1].markup().to_dict()  # type: ignore[union-attr]


def test_a_button_id_telegram_would_refuse_becomes_a_numbered_list() -> None:
    too_long = Choice("vacancies.results." + "x" * 60, "Ayudante de cocina")
    [message] = render_telegram(42, [Outbound("Encontré esto:", (too_long, Choice("a.b.c", "Otra")))])
    assert message.choices == ()
    assert message.text == "Encontré esto:\n\n1. Ayudante de cocina\n2. Otra"


def test_whatsapp_numbered_list_and_1600_cut() -> None:
    renderer = WhatsAppRenderer({}, {})
    [menu] = renderer.render([Outbound("¿Qué quieres?", (Choice("m.a", "Uno"), Choice("m.b", "Dos")))])
    assert menu.body == "¿Qué quieres?\n\n1. Uno\n2. Dos"
    long = renderer.render([Outbound("\n\n".join([PARAGRAPH] * 5), (Choice("m.a", "Uno"),))])
    assert len(long) == 5 and all(len(m.body) <= 1600 for m in long)  # one paragraph each
    assert long[-1].body.endswith("\n\n1. Uno")
    assert twiml(long).count("<Message>") == 5


def test_whatsapp_quick_replies_and_lists_only_where_whatsapp_allows_them() -> None:
    renderer = WhatsAppRenderer({2: "HXquick2", 3: "HXquick3"}, {5: "HXlist5"})
    two = (Choice("m.a", "Sí"), Choice("m.b", "No"))
    [quick] = renderer.render([Outbound("¿Seguro?", two)])
    assert quick.content_sid == "HXquick2"
    assert quick.variables == {"1": "¿Seguro?", "2": "Sí", "3": "m.a", "4": "No", "5": "m.b"}
    five = tuple(Choice(f"l.p.{n}", f"Opción {n}") for n in range(5))
    [listed] = renderer.render([Outbound("Elige", five)], "Ver opciones")
    assert listed.content_sid == "HXlist5" and listed.variables["2"] == "Ver opciones"
    # Four options: no template for four, so numbers.
    assert renderer.render([Outbound("Elige", five[:4])])[0].plain
    # A title over 20 letters cannot be a button; duplicate titles cannot either.
    assert renderer.render([Outbound("?", (Choice("m.a", "Una opción demasiado larga"), Choice("m.b", "No")))])[0].plain
    assert renderer.render([Outbound("?", (Choice("m.a", "No"), Choice("m.b", "No")))])[0].plain
    # Without the list's button text (a translation missing), numbers.
    assert renderer.render([Outbound("Elige", five)], "")[0].plain
    # The body of an interactive message is at most 1,024 characters: the rest goes before it.
    messages = renderer.render([Outbound(PARAGRAPH * 2, two)])
    assert [m.plain for m in messages] == [True, False]
    assert len(messages[1].variables["1"]) <= 1024


@pytest.mark.parametrize(("name", "media"), [
    ("text.form", None), ("image.form", Media.PHOTO), ("voice.form", Media.VOICE), ("location.form", Media.LOCATION),
])
def test_twilio_forms_become_inbound_messages(name: str, media: Media | None) -> None:
    inbound = read_form(load_form(name))
    assert inbound.channel == "whatsapp" and inbound.user_key == "whatsapp:+5215512345678"
    assert inbound.phone == "whatsapp:+5215512345678" and inbound.media == media
    assert inbound.external_id and inbound.external_id.startswith(("SM", "MM"))


def test_buttons_and_list_items_are_choices() -> None:
    assert read_form(load_form("button.form")).choice_id == "language.pick.es"
    assert read_form(load_form("list.form")).choice_id == "language.pick.es"


@pytest.mark.parametrize(("body", "expected"), [
    ("STOP", "stop"), ("stop", "stop"), (" Stop. ", "stop"), ("stop all", "stop"), ("UNSUBSCRIBE", "stop"),
    ("START", "start"), ("unstop", "start"), ("please stop", None), ("stopped", None), ("alto", None),
])
def test_opt_out_keywords_are_whole_messages(body: str, expected: str | None) -> None:
    assert keyword({"Body": body}) == expected


def test_backoff_grows_honours_retry_after_and_gives_up() -> None:
    backoff = Backoff()
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, None]
    assert backoff.delay(1, retry_after=12) == 12.0
    assert backoff.delay(1, retry_after=600) is None


def test_whatsapp_does_not_number_the_vacancy_titles_twice() -> None:
    """Cards already show "1. Cocinero"; the options under them go on from the first choice
    the text does not show, and keep their numbers ("4" is still "Ver más")."""
    cards = Outbound(
        "Vacantes para «Cocinero · Guadalajara, Jalisco»:\n\n1. Cocinero de línea para restaurante\n"
        "Restaurante · Guadalajara, Jalisco\n\n2. Cocinero\nFonda · Zapopan, Jalisco\n\n3. Cocinero\n"
        "Hotel · Tlaquepaque, Jalisco\n\nPara ver los detalles de una vacante, elige su número.",
        (
            Choice("vacancies.list_more.v1", "Cocinero de línea para r…"),
            Choice("vacancies.list_more.v2", "Cocinero (2)"),
            Choice("vacancies.list_more.v3", "Cocinero (3)"),
            Choice("vacancies.list_more.more", "Ver más"),
            Choice("vacancies.list_more.menu", "Menú principal"),
        ),
    )
    [message] = WhatsAppRenderer({}, {}).render([cards])
    assert message.body.count("Cocinero de línea") == 1
    assert "1. 1." not in message.body and "(2)" not in message.body
    assert message.body.endswith("elige su número.\n\n4. Ver más\n5. Menú principal")


def test_whatsapp_numbers_every_choice_when_the_text_does_not_show_them() -> None:
    reply = Outbound("Revisa tus datos:\n1. Nombre: Ana\n¿Están bien?", (Choice("a.b.ok", "Sí"), Choice("a.b.no", "No")))
    [message] = WhatsAppRenderer({}, {}).render([reply])
    assert message.body.endswith("¿Están bien?\n\n1. Sí\n2. No")
