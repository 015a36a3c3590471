"""How people reach the registration, and the engine rules the form relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.chat import Chat, load_scripts

WORDS = {
    "es": ("español", ["quiero registrarme", "registrarme", "Quiero registrarme en el SNE"]),
    "ht": ("kreyòl", ["enskri", "mwen vle enskri"]),
    "fr": ("français", ["m'inscrire", "je veux m'inscrire s'il vous plaît"]),
    "en": ("english", ["register", "I want to register please"]),
    "pt": ("português", ["cadastrar", "quero me cadastrar"]),
}
CONSENT = {
    "es": "¿Aceptas que guardemos tus datos para esto?",
    "ht": "Èske ou dakò pou nou kenbe done ou yo pou sa?",
    "fr": "Acceptez-vous que nous gardions vos données pour cela ?",
    "en": "Do you agree that we keep your data for this?",
    "pt": "Você aceita que guardemos seus dados para isso?",
}


def test_every_language_has_a_registration_script() -> None:
    scripts = load_scripts(Path(__file__).parent / "chats" / "registration")
    assert {s.path.stem for s in scripts} == set(WORDS)


@pytest.mark.parametrize("lang", list(WORDS))
def test_trigger_words_jump_to_the_registration_from_another_topic(chat: Chat, lang: str) -> None:
    name, phrases = WORDS[lang]
    chat.say("hola")
    chat.say(name)
    for phrase in phrases:
        chat.tap("main.menu.privacy")  # "My data and privacy": a question with its own buttons
        assert chat.state().step == "privacy.summary"
        chat.say(phrase)
        assert CONSENT[lang] in chat.text, phrase
        chat.say("menu")


def test_the_main_menu_offers_the_registration(chat: Chat) -> None:
    chat.say("hola")
    chat.say("español")
    assert "Registrarme en el SNE (empleo)" in chat.labels
    chat.tap_label("Registrarme en el SNE (empleo)")
    assert CONSENT["es"] in chat.text


def test_typed_answers_beyond_the_buttons_are_validated(chat: Chat) -> None:
    """The nationality question offers six countries; any other is typed and checked."""
    chat.say("registro")
    chat.tap_label("Sí, acepto")
    chat.say("Ana Pérez")
    chat.say("27/04/1990")
    assert "Honduras" in chat.labels
    chat.say("7")  # not one of the six buttons: the validation action explains
    assert "No encuentro el país «7»" in chat.text
    chat.say("Nicaragua")
    assert chat.state().slots["reg_nationality"] == "NI"


def test_a_refused_change_keeps_the_earlier_answer(chat: Chat) -> None:
    chat.say("registro")
    chat.tap_label("Sí, acepto")
    chat.say("Ana Pérez")
    chat.say("back")
    assert "¿Cuál es tu nombre completo?" in chat.text
    chat.say("Ana 3")
    assert "Un nombre no lleva números." in chat.text
    assert chat.state().slots["reg_full_name"] == "Ana Pérez"
