"""The matcher: labels, keywords, numbers; accents, case and small typos; no false friends."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from bot.nlu.matcher import match_whole, match_within, phrases
from bot.nlu.normalize import clean_text, normalize

LABELS = (
    phrases("rights", ["Mis derechos en el trabajo"], 2)
    + phrases("jobs", ["Buscar trabajo"], 2)
    + phrases("register", ["Registrarme en el Servicio Nacional de Empleo"], 2)
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Buscar trabajo", "jobs"),
        ("buscar TRABAJO", "jobs"),
        ("búscar trabájo!!", "jobs"),
        ("buscr trabajo", "jobs"),        # one letter missing
        ("derechos", "rights"),            # a word of the label
        ("derechoz", "rights"),
        ("registrarme", "register"),
        ("trabajo", None),                 # in two labels: ambiguous, ask again
        ("xyz", None),
        ("", None),
        ("🙂🙂", None),
    ],
)
def test_match_whole(typed: str, expected: str | None) -> None:
    assert match_whole(typed, LABELS) == expected


def test_commands_do_not_match_a_part_of_themselves() -> None:
    commands = phrases("delete", ["borrar mis datos"])
    assert match_whole("mis datos", commands, partial=False) is None
    assert match_whole("borrar mis datos", commands, partial=False) == "delete"
    assert match_whole("quiero borrar mis datos", commands, partial=False) == "delete"


def test_short_words_need_exact_spelling() -> None:
    # "si" must not be read as "no" or "sí" as "su": no typo tolerance under five letters.
    answers = phrases("yes", ["si"]) + phrases("no", ["no"])
    assert match_whole("su", answers) is None
    assert match_whole("Sí", answers) == "yes"


def test_match_within_prefers_the_longest_phrase() -> None:
    topics = phrases("unpaid", ["no me pagaron"]) + phrases("pay", ["pagaron"]) + phrases("wage", ["salario minimo"])
    assert match_within("oiga, no me pagaron el sábado", topics) == "unpaid"
    assert match_within("cuál es el salário mínimo?", topics) == "wage"
    assert match_within("hola", topics) is None


def test_normalize_and_clean() -> None:
    assert normalize("¿Qué   SALÁRIO?") == "que salario"
    assert normalize("ça\u0000va\u200b") == "ca va"
    assert clean_text("  a\tb\u0007c  ", 10) == "a b c"
    assert len(clean_text("x" * 10_000, 300)) == 300
    assert normalize("x" * 10_000) == "x" * 400


def _by_the_definition(text: str) -> str:
    """Casefolded, decomposed, every combining mark dropped, æ/œ spelled out, anything but
    a-z and digits a single space: the rule, a character at a time."""
    decomposed = unicodedata.normalize("NFKD", text[:400].casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("æ", "ae").replace("œ", "oe")
    return re.sub(r"[^0-9a-z]+", " ", kept).strip()


def test_normalize_keeps_to_its_rule_on_any_text() -> None:
    """Letters of the five languages with their accents, ligatures, marks on their own, symbols,
    emoji, other scripts, Turkish dotted I, fullwidth and superscript forms."""
    alphabet = "aáàâäãåæçéèêëíìîïñóòôöõøœßúùûüýÿ ÇÉÈÊÔÛÀ ¿?¡!.,'-€😀🇲🇽 łđŁΣσςİıǅﬁ½²Å 한국 ٣ Ｓａｌ \u0301\u0308\u200b\u0000"
    rng = random.Random(13)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert normalize(text) == _by_the_definition(text), repr(text)
    for text in ("Salário mínimo", "kisa m ka fè", "ÇA VA", "straße", "Œuvre cœur", "ﬁn"):
        assert normalize(text) == _by_the_definition(text)


WITHIN = tuple(
    phrases("unpaid", ["no me pagaron", "no me pagan"])
    + phrases("wage", ["salario mínimo", "salario"])
    + phrases("bonus", ["aguinaldo"])
    + phrases("bonus_ht", ["aginaldo"])
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mi patrón no me pagaron nada", ("unpaid", 361)),     # 3 words, spelled exactly
        ("no me pagarn", ("unpaid", 311)),                     # a typo: no exact bonus
        ("me pagan menos que el salario minimo", ("wage", 263)),  # the longest phrase wins
        ("aguinaldo", ("bonus", 159)),
        ("aginaldo", ("bonus_ht", 158)),                       # exact beats a near miss
        ("salarios", ("wage", 107)),
        ("nada que ver", None),
    ],
)
def test_best_within_scores_longer_then_exact(typed: str, expected: tuple[str, int] | None) -> None:
    from bot.nlu.matcher import best_within

    assert best_within(typed, WITHIN) == expected
    assert best_within(typed, list(WITHIN)) == expected  # the cached index gives the same answer
