"""False friends of the fuzzy matcher: a word of the language is never read as a different
trigger or trade word one letter away ("mexico" is not "médico", Portuguese "chefe" (boss) is
not Creole "chofe" (driver), French "menace" (threat) is not "ménage" (housekeeping)), and a
sentence naming pay or a boss is not a job search. Five languages, with and without the
classifier."""

from __future__ import annotations

import pytest

from bot.engine import CompiledContent, ConversationState, Engine, Turn
from bot.i18n import Formatter
from bot.messages import Inbound
from bot.nlu.understanding import Understanding

NOW = 1_000_000.0

# (language, words, where the classifier must send them, places they must never reach)
CASES = [
    ("es", "vivo en mexico desde hace un año y busco orientacion sobre mis derechos", "rights.menu",
     ("rights.health", "vacancies")),
    ("es", "cuanto me tienen que pagar por las horas extra del sabado", "rights.overtime", ("vacancies",)),
    ("pt", "meu chefe grita comigo e me ameaça todo dia", "rights.abuse", ("vacancies",)),
    ("pt", "meu chefe não me pagou o mês passado", "rights.unpaid", ("vacancies",)),
    ("fr", "on me menace au travail si je demande mon argent", "rights.abuse", ("vacancies",)),
    ("ht", "yo mande m lajan pou yo ban m yon travay", "rights.never_pay", ("vacancies",)),
    ("en", "they worked me fourteen hours yesterday without a break", "rights.hours", ("vacancies",)),
]
IDS = [f"{lang}:{text[:30]}" for lang, text, _, _ in CASES]


def landed(turn: Turn) -> str:
    return str(turn.state.cursor if turn.action else turn.state.step)


def at_menu(lang: str) -> ConversationState:
    return ConversationState(language=lang, step="main.menu", slots={"language": lang}, last_seen=NOW - 10)


@pytest.mark.parametrize(("lang", "text", "expected", "never"), CASES, ids=IDS)
def test_keywords_alone_never_reach_a_false_friend(
    content: CompiledContent, lang: str, text: str, expected: str, never: tuple[str, ...]
) -> None:
    engine = Engine(content, Formatter())
    for state in (ConversationState(), at_menu(lang)):
        place = landed(engine.turn(state, Inbound("console", "u", text=text), NOW))
        assert not any(place == n or place.startswith(n + ".") for n in never), place


@pytest.mark.parametrize(("lang", "text", "expected", "never"), CASES, ids=IDS)
def test_the_classifier_reads_the_sentence(
    content: CompiledContent, understanding: Understanding, lang: str, text: str, expected: str,
    never: tuple[str, ...],
) -> None:
    engine = Engine(content, Formatter(), understanding=understanding)
    turn = engine.turn(at_menu(lang), Inbound("console", "u", text=text), NOW)
    assert landed(turn) == expected


def test_a_word_of_the_language_matches_only_its_own_forms(content: CompiledContent) -> None:
    """'extras' still finds the trigger 'horas extra'; 'mexico' finds no 'medico'."""
    from bot.nlu.matcher import best_within

    assert best_within("cuantas horas extras", content.triggers["es"])
    vocabulary = content.vocabulary_triggers["es"]
    assert best_within("mexico", vocabulary) is None
    assert best_within("medico", vocabulary) is not None
