"""Vocabularies that flows may name as `trigger_vocabulary` (dialogs/*.yaml): words from the
NLU data that lead to a flow without being listed in its triggers.

"occupations": every trade name of bot/nlu/data/occupations.yaml, per language, so that
"albañil en Monterrey" typed at the main menu (or as a first message) starts a job search."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.nlu.matcher import Phrase


def _occupations() -> Mapping[str, tuple[Phrase, ...]]:
    from bot.nlu.occupations import Occupations

    return Occupations.load().phrases_by_language()


VOCABULARIES: dict[str, Callable[[], Mapping[str, tuple[Phrase, ...]]]] = {"occupations": _occupations}
