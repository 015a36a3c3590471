"""A first message that names a language is not always a pick of it: "I don't speak Spanish"
asks for another language (the language question, never Spanish), and "a lawyer who speaks
English" asks for a lawyer (legal help, in the message's own language). A language named alone
or asked for ("english please") is still taken at once. Sentences written for this test, not
taken from tests/nlu/heldout; played through the Engine from a Mexican phone number."""

from __future__ import annotations

import pytest

from bot.engine import CompiledContent, ConversationState, Engine, Turn
from bot.i18n import Formatter, suggest_language
from bot.messages import Inbound
from bot.nlu.understanding import Understanding

NOW = 1_000_000.0
MEXICAN_PHONE = "+525512345678"

DOES_NOT_READ = [
    ("es", "no hablo español"),
    ("en", "sorry i don't speak spanish"),
    ("fr", "je parle pas espagnol"),
    ("ht", "m pa pale panyol"),
    ("pt", "não falo espanhol"),
]
TOPIC_NAMING_A_LANGUAGE = [
    ("es", "ocupo un abogado que hable ingles", "support.legal"),
    ("en", "is there a lawyer who speaks english", "support.legal"),
    ("ht", "mwen bezwen yon avoka ki pale kreyol", "support.legal"),
]


@pytest.fixture(scope="module")
def engine(content: CompiledContent, understanding: Understanding) -> Engine:
    return Engine(content, Formatter(), understanding=understanding)


def first(engine: Engine, text: str) -> Turn:
    inbound = Inbound("whatsapp", "u", text=text, phone=MEXICAN_PHONE,
                      language_hint=suggest_language(None, MEXICAN_PHONE))
    return engine.turn(ConversationState(), inbound, NOW)


@pytest.mark.parametrize(("lang", "text"), DOES_NOT_READ)
def test_not_reading_a_language_asks_for_another_one(engine: Engine, lang: str, text: str) -> None:
    turn = first(engine, text)
    assert str(turn.state.step).startswith(engine.content.language_flow + ".")
    assert turn.state.language in (None, lang)  # asked, or answered in the message's language


@pytest.mark.parametrize(("lang", "text", "expected"), TOPIC_NAMING_A_LANGUAGE)
def test_a_topic_that_names_a_language_is_answered(engine: Engine, lang: str, text: str, expected: str) -> None:
    turn = first(engine, text)
    place = str(turn.state.cursor if turn.action else turn.state.step)
    assert (place, turn.state.slots.get("support_kind")) in ((expected, None), ("support.list", "legal"))
    assert turn.state.language == lang


@pytest.mark.parametrize(("lang", "text"), [("en", "english please"), ("pt", "em português por favor")])
def test_a_language_asked_for_is_taken_at_once(engine: Engine, lang: str, text: str) -> None:
    turn = first(engine, text)
    assert turn.state.language == lang
    assert not str(turn.state.step).startswith(engine.content.language_flow + ".")


@pytest.mark.parametrize(("lang", "text", "named"), [
    ("es", "me lo puedes cambiar a ingles", "en"),
    ("en", "switch the language to french", "fr"),
])
def test_asking_to_change_the_language_shows_the_choice_with_the_one_named_first(
    engine: Engine, lang: str, text: str, named: str
) -> None:
    turn = first(engine, text)
    assert str(turn.state.step).startswith(engine.content.language_flow + ".")
    assert turn.state.language == lang
    assert turn.replies[-1].choices[0].id.endswith("." + named)
