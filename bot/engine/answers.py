"""Reading a user's answer: which choice, which command, which topic, or a typed value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.engine.model import ANY_LANGUAGE, CompiledContent, Step
from bot.engine.render import dynamic_choices, language_order
from bot.nlu.dates import DateError, parse_date
from bot.nlu.matcher import Phrase, best_within, exact_key, match_whole, match_within, phrases
from bot.nlu.normalize import accented_words, clean_text, normalize

_NUMBER = re.compile(r"^\s*[-+]?\d+(?:[.,]\d+)?\s*$")
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


def read_choice(
    content: CompiledContent, step: Step, text: str, lang: str, slots: Mapping[str, Any]
) -> str | None:
    """The id of the choice the text names (a language code for language steps), or None."""
    ids = _choice_ids(content, step, slots)
    number = choice_number(text)
    if number is not None:
        if 1 <= number <= len(ids):
            return ids[number - 1]
        raise Miss("choose_number", {"count": len(ids)})
    if step.type == "language":
        return match_whole(text, content.language_phrases)
    candidates: Sequence[Phrase] = content.choice_phrases.get((step.ref, lang), ())
    dynamic = dynamic_choices(step, slots)
    if dynamic:
        candidates = list(candidates)
        for choice in dynamic:
            candidates.extend(phrases(choice.id.rsplit(".", 1)[-1], [choice.label], 2))
    found = match_whole(text, candidates)
    if found is None and lang != "es":
        # A Spanish word is understood too: many users live among Spanish speakers.
        found = match_whole(text, content.choice_phrases.get((step.ref, "es"), ()))
    return found


def _choice_ids(content: CompiledContent, step: Step, slots: Mapping[str, Any]) -> list[str]:
    if step.type == "language":
        return language_order(content, slots.get("_suggested"))
    dynamic = [c.id.rsplit(".", 1)[-1] for c in dynamic_choices(step, slots)]
    return dynamic + [c.id for c in step.choices]


def read_value(step: Step, text: str, lang: str, today: dt.date) -> Any:
    """A typed answer for a text, number or date question. Raises Miss with the reason."""
    if len(text) > step.max_length:
        raise Miss("too_long", {"max": step.max_length})
    cleaned = clean_text(text, step.max_length)
    if not normalize(cleaned):
        raise Miss("no_words")
    if step.type == "number":
        if not _NUMBER.match(cleaned):
            raise Miss("invalid_number")
        number = float(cleaned.replace(",", "."))
        if (step.minimum is not None and number < step.minimum) or (
            step.maximum is not None and number > step.maximum
        ):
            raise Miss("number_out_of_range", {"min": step.minimum, "max": step.maximum})
        return int(number) if number.is_integer() else number
    if step.type == "date":
        try:
            return parse_date(cleaned, today, lang).isoformat()
        except DateError as error:
            raise Miss(error.reason) from None
    return cleaned


def match_command(content: CompiledContent, text: str, lang: str, *, strict: bool) -> str | None:
    """menu / back / help / language / delete, said in the user's language or any other."""
    for group in (content.commands.get(lang, ()), content.commands.get(ANY_LANGUAGE, ())):
        found = _match_strict(text, group) if strict else match_whole(text, group, partial=False)
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


def _match_strict(text: str, group: tuple[Phrase, ...]) -> str | None:
    return exact_key(tuple(normalize(text).split()), group)
