"""Floors under the classifier's accuracy: cross-validated on the training data per language
(as `puente nlu test`), and on the held-out first messages (as `puente nlu test --heldout`),
which nobody may train or tune on. Floors are the last honest measurement minus a margin
(docs/development.md, "How understanding works", has the figures)."""

from __future__ import annotations

from bot.commands.nlu import HELDOUT
from bot.commands.nlu_heldout import play, read_cases, summarise
from bot.engine import CompiledContent, Engine
from bot.i18n import Formatter
from bot.nlu.evaluation import by_language, cross_validate, language_identification
from bot.nlu.training import examples_of
from bot.nlu.understanding import Understanding

CROSS_VALIDATED_FLOOR = 0.87   # measured 90.3-92.7% per language (5 folds)
LANGUAGE_ID_FLOOR = 0.93       # measured 95.6-98.1%
HELDOUT_FLOOR = 0.90           # measured 94% (541/577) over the five languages
HELDOUT_LANGUAGE_FLOOR = 0.87  # measured 91% (en, pt) to 96% (fr, ht)
WRONG_LANGUAGE_CEILING = 0.05  # measured 0-1.7% per language, 0.7% overall


def test_cross_validated_accuracy_per_language(content: CompiledContent) -> None:
    predictions = cross_validate(examples_of(content.nlu_examples), folds=5)
    for lang, score in by_language(predictions).items():
        assert score.accuracy >= CROSS_VALIDATED_FLOOR, (lang, score)
    for lang, score in language_identification(predictions).items():
        assert score.accuracy >= LANGUAGE_ID_FLOOR, (lang, score)


def test_heldout_first_messages_reach_their_place_in_their_language(
    content: CompiledContent, understanding: Understanding
) -> None:
    engine = Engine(content, Formatter(), understanding=understanding)
    outcomes = [play(engine, case) for case in read_cases(HELDOUT)]
    assert len(outcomes) >= 500
    assert sum(o.right for o in outcomes) / len(outcomes) >= HELDOUT_FLOOR
    for lang, summary in summarise(outcomes, "language").items():
        assert summary.accuracy >= HELDOUT_LANGUAGE_FLOOR, (lang, summary)
        assert summary.wrong_language / summary.total < WRONG_LANGUAGE_CEILING, (lang, summary)
