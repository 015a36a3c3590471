"""Done when: in every language, minimum wage, what to do if unpaid and which document lets a
person work are found, each with its legal source, in at most three messages from the menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.engine import CompiledContent
from bot.languages import LANGUAGES
from db.tables import counters
from tests.support.chat import Chat, load_scripts

SCRIPTS = Path(__file__).parent / "chats" / "rights"

MAX_MESSAGES = 3
# (topic, a fact it must state) in each language; the source comes from the content itself.
NEEDED = {
    "wage": {"es": "$315.04", "ht": "315,04\xa0$MX", "fr": "315,04\xa0$MX", "en": "MX$315.04", "pt": "MX$\xa0315,04"},
    "unpaid": {lang: "gob.mx/profedet" for lang in LANGUAGES},
    "documents": {lang: "TVRH" for lang in LANGUAGES},
}


def at_menu(chat: Chat, lang: str) -> None:
    chat.app.conversations.preset_language("console", chat.user, lang)
    chat.say("menu")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("topic", sorted(NEEDED))
def test_found_from_the_menu_in_at_most_three_messages(chat: Chat, lang: str, topic: str) -> None:
    at_menu(chat, lang)
    content = chat.app.live.content
    rights_label, _ = next(c for c in content.step("main.menu").choices if c.id == "rights").label.get(lang)
    topic_label, _ = next(c for c in content.step("rights.menu").choices if c.id == topic).label.get(lang)
    step = content.step(f"rights.{topic}")
    source, _ = step.source.get(lang)  # type: ignore[union-attr]
    source_line, _ = content.messages["source_line"].get(lang)
    sent = 0
    for label in (rights_label, topic_label):
        chat.tap_label(label)
        sent += 1
        if source in chat.text:
            break
    assert sent <= MAX_MESSAGES
    assert NEEDED[topic][lang] in chat.text
    assert source_line.replace("{source}", source) in chat.text


@pytest.mark.parametrize(
    ("lang", "text", "source"),
    [
        ("es", "no me pagaron", "Fuente: Ley Federal del Trabajo, arts. 26, 527 y 530"),
        ("ht", "mwen pa jwenn peye", "Sous: Lwa Federal sou Travay (Ley Federal del Trabajo), atik 26, 527 ak 530"),
        ("en", "they didn't pay me", "Source: Federal Labor Law (Ley Federal del Trabajo), arts. 26, 527 and 530"),
        ("pt", "salário mínimo", "Fonte: CONASAMI, salários mínimos 2026 (imprensa nacional, 3–4 dez. 2025; texto do DOF a confirmar)"),
        ("fr", "permis de travail", "Source : Loi sur la migration (Ley de Migración), art. 52 et 54"),
    ],
)
def test_one_message_is_enough_when_it_names_the_topic(chat: Chat, lang: str, text: str, source: str) -> None:
    chat.say(text)
    assert source in chat.text
    assert chat.state().language == lang


def test_topic_reads_are_counted_per_topic(chat: Chat) -> None:
    at_menu(chat, "es")
    chat.say("salario mínimo")
    chat.say("aguinaldo")
    chat.say("salario mínimo")
    with chat.app.db.transaction() as conn:
        rows = conn.execute(select(counters.c.key, counters.c.count).where(counters.c.name == "read")).all()
    assert sorted(rows) == [("rights.aguinaldo", 1), ("rights.wage", 2)]


def test_the_scripted_chats_reach_every_topic_in_every_language(content: CompiledContent) -> None:
    """tests/chats/rights/<lang>.yaml assert `state: {step: rights.<topic>}` at each topic."""
    topics = {s.ref for s in content.flows["rights"].steps.values() if s.track}
    for lang in LANGUAGES:
        reached = {
            turn["state"]["step"]
            for script in load_scripts(SCRIPTS) if script.path.stem == lang
            for turn in script.data["turns"] if "step" in turn.get("state", {})
        }
        assert topics <= reached, f"{lang}: no scripted chat reaches {sorted(topics - reached)}"
