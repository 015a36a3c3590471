"""Reading a user's words outside a question's own answers: which command, which topic, which
greeting; and what the step types share for that (a numbered pick, a Miss)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.engine.model import ANY_LANGUAGE, CompiledContent
from bot.nlu.function_words import match_content
from bot.nlu.matcher import Phrase, best_within, exact_key, match_whole, match_within
from bot.nlu.normalize import accented_words, normalize

_ORDINAL = re.compile(r"^\s*#?\s*(\d{1,3})\s*[.)]?\s*$")


@dataclass
class Miss(Exception):
    """An answer that does not fit; `reason` names the system message that explains why."""

    reason: str
    values: dict[str, Any] = field(default_factory=dict)


def choice_number(text: str) -> int | None:
    """'2', '2.', '#2' -> 2: a user picking the second option of a numbered list."""
    found = _ORDINAL.match(text)
    return int(found.group(1)) if found else None


def match_command(content: CompiledContent, text: str, lang: str, *, strict: bool) -> str | None:
    """menu / back / help / language / delete, said in the user's language or any other.

    `strict` (a free-text question, where a name must not become a command): the whole message
    is the command, or the command with only function words around it ("quiero borrar mis
    datos"); bot/nlu/function_words.py says why "Menu Soto" stays a name."""
    groups = (content.commands.get(lang, ()), content.commands.get(ANY_LANGUAGE, ()))
    for group in groups:
        found = _match_strict(text, group) if strict else match_whole(text, group, partial=False)
        if found:
            return found
    if strict:
        for group in groups:
            found = match_content(text, group)
            if found:
                return found
    return None


def match_trigger(
    content: CompiledContent, text: str, lang: str | None, *, whole: bool, vocabulary: bool = False
) -> tuple[str, str] | None:
    """(step ref, language of the words) of the topic the text names, the user's language first.

    Without a hit in the user's language (or before we know it), the language whose trigger
    covers the most of the message wins; then the one whose accented words were typed
    ("salário mínimo" is Portuguese, though "salario minimo" is Spanish too); then the order.
    With `vocabulary`, words of a flow's trigger_vocabulary (trade names) count when no
    trigger does.
    """
    found = _match_in(content, content.triggers, text, lang, whole=whole)
    if found is None and vocabulary and not whole:
        found = _match_in(content, content.vocabulary_triggers, text, lang, whole=False)
    return found


def _match_in(
    content: CompiledContent, table: Mapping[str, Sequence[Phrase]], text: str, lang: str | None, *, whole: bool
) -> tuple[str, str] | None:
    order = [lang] if lang else []
    order += [code for code in content.languages if code != lang]
    typed_accents = accented_words(text)
    best: tuple[tuple[int, int, int], tuple[str, str]] | None = None
    for position, code in enumerate(order):
        group = table.get(code, ())
        if whole:
            key = _match_strict(text, group)
            found = (key, 1) if key else None
        else:
            found = best_within(text, group)
        if found is None:
            continue
        if code == lang:
            return found[0], code
        accents = len(typed_accents & content.trigger_accents.get(code, frozenset()))
        rank = (found[1], accents, -position)
        if best is None or rank > best[0]:
            best = (rank, (found[0], code))
    return best[1] if best else None


def match_greeting(content: CompiledContent, text: str) -> str | None:
    """The language of a greeting ("bonjour" is French even though "bonjou" is one letter away)."""
    typed = normalize(text).split()
    for code in content.languages:
        for phrase in content.greetings.get(code, ()):
            n = len(phrase.words)
            if any(tuple(typed[i:i + n]) == phrase.words for i in range(len(typed) - n + 1)):
                return code
    for code in content.languages:
        if match_within(text, content.greetings.get(code, ())):
            return code
    return None


def match_greeting_only(content: CompiledContent, words: Sequence[str]) -> bool:
    """Every word belongs to a greeting of some language ("hola buenas", "bonjou"): no question."""
    known = content.greeting_words
    return bool(words) and all(w in known for w in words)


def _match_strict(text: str, group: tuple[Phrase, ...]) -> str | None:
    return exact_key(tuple(normalize(text).split()), group)
