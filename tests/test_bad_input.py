"""Bad input is normal input: a clear answer in the user's language, and the state unchanged."""

from __future__ import annotations

import pytest

from bot.messages import Media
from tests.support.chat import Chat


def at_menu(chat: Chat, language: str = "2") -> Chat:
    chat.say("hola")
    chat.say(language)  # Kreyòl when the list starts with Español
    return chat


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Mesaj ou a rive vid."),
        ("   ", "Mesaj ou a rive vid."),
        ("🙂🙂🙂", "Tanpri, ekri repons ou ak mo oswa ak chif."),
        ("\u0000\u0007\u001b\u200b", "Tanpri, ekri repons ou ak mo oswa ak chif."),
        # Words nothing could place: "not sure what you ask" (kept for staff), not "not understood".
        ("x" * 10_000, "Mwen pa fin konprann sa w ap mande a."),
        ("/frobnicate", "Mwen pa fin konprann sa w ap mande a."),
        ("99", "Chwazi yon nimewo ant 1 ak"),
        ("0", "Chwazi yon nimewo ant 1 ak"),
    ],
    ids=["empty", "spaces", "emoji", "control", "paste", "unknown-command", "out-of-range", "zero"],
)
def test_bad_answer_at_the_menu(chat: Chat, text: str, expected: str) -> None:
    at_menu(chat)
    before = chat.state()
    chat.say(text)
    assert expected in chat.text
    assert "Kijan m ka ede w?" in chat.text  # the question again
    after = chat.state()
    # Nothing is stored but the engine's own mark that a message was not placed.
    slots = {k: v for k, v in after.slots.items() if k != "_unplaced"}
    assert (after.step, slots, after.language) == (before.step, before.slots, before.language)


def test_media_gets_a_kind_answer_and_the_question_again(chat: Chat) -> None:
    at_menu(chat)
    for kind in Media:
        chat.send(media=kind)
        assert "mwen ka li sèlman mesaj ki ekri" in chat.text
        assert "Kijan m ka ede w?" in chat.text
    assert chat.state().step == "main.menu"


def test_stale_and_forged_buttons(chat: Chat) -> None:
    at_menu(chat)
    chat.tap("language.pick.fr")  # a button of the language question, answered long ago
    assert "Bouton sa a se pou yon ansyen mesaj." in chat.text
    chat.tap("no.such.button")
    assert "Bouton sa a se pou yon ansyen mesaj." in chat.text
    chat.tap("x" * 500)
    assert "Bouton sa a se pou yon ansyen mesaj." in chat.text
    assert chat.state().language == "ht"


def test_an_old_menu_button_still_works(chat: Chat) -> None:
    at_menu(chat)
    chat.say("done mwen")
    chat.tap("main.menu.language")  # from the menu message further up the chat
    assert "Nan ki lang ou vle m ekri w?" in chat.text


def test_three_misses_in_a_row_never_dead_end(chat: Chat) -> None:
    at_menu(chat)
    chat.say("done mwen")
    for _ in range(3):
        chat.say("bla bla")
    assert "Meni prensipal" in chat.labels  # the way out is offered as a button
    chat.tap_label("Meni prensipal")
    assert "Kijan m ka ede w?" in chat.text


def test_the_offered_menu_button_can_be_picked_by_its_number(chat: Chat) -> None:
    at_menu(chat)
    chat.say("done mwen")
    for _ in range(2):
        chat.say("bla bla")
    assert chat.labels[-1] == "Meni prensipal"
    chat.say(str(len(chat.labels)))
    assert "Kijan m ka ede w?" in chat.text
