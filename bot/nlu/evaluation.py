"""Cross-validation of the intent and language models on the training data, as `rasa test nlu`
does: stratified k folds, each model trained on the rest and asked about the fold it did not see.
Accuracy per language and per intent, the intents confused with each other, the examples that
fail. Imports scikit-learn (bot/nlu/fit.py): for `puente nlu test` and the tests, never a worker.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.model_selection import StratifiedKFold

from bot.nlu.fit import Example, fit
from bot.nlu.understanding import Understanding


@dataclass(frozen=True)
class Prediction:
    """One example asked of a model that did not see it."""

    language: str
    intent: str
    text: str
    guessed: str
    confidence: float
    runner_up: str
    guessed_language: str
    language_confidence: float

    @property
    def right(self) -> bool:
        return self.guessed == self.intent


def cross_validate(examples: Sequence[Example], folds: int = 5, seed: int = 0) -> list[Prediction]:
    """Every example predicted by a model trained on the other folds (stratified by language and
    intent, so each fold has its share of every intent in every language)."""
    strata = [f"{lang}/{intent}" for lang, intent, _ in examples]
    counts = Counter(strata)
    # An intent with fewer examples than folds in a language is stratified with its language.
    strata = [s if counts[s] >= folds else s.split("/")[0] for s in strata]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    found: list[Prediction | None] = [None] * len(examples)
    for train_rows, test_rows in splitter.split(examples, strata):
        model = Understanding.from_json(fit([examples[i] for i in train_rows]))
        for i in test_rows:
            lang, intent, text = examples[i]
            reading = model.read(text)
            first, second = reading.intents[0], reading.intents[1]
            found[i] = Prediction(lang, intent, text, first.label, first.confidence, second.label,
                                  reading.languages[0].label, reading.languages[0].confidence)
    return [p for p in found if p is not None]


@dataclass(frozen=True)
class Score:
    right: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def by_language(predictions: Sequence[Prediction]) -> dict[str, Score]:
    return _scores(predictions, lambda p: p.language, lambda p: p.right)


def language_identification(predictions: Sequence[Prediction]) -> dict[str, Score]:
    return _scores(predictions, lambda p: p.language, lambda p: p.guessed_language == p.language)


def by_intent(predictions: Sequence[Prediction]) -> dict[str, Score]:
    return _scores(predictions, lambda p: p.intent, lambda p: p.right)


def _scores(predictions, key, right) -> dict[str, Score]:  # type: ignore[no-untyped-def]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in predictions:
        totals[key(p)][0] += int(right(p))
        totals[key(p)][1] += 1
    return {k: Score(r, t) for k, (r, t) in sorted(totals.items())}


def confusions(predictions: Sequence[Prediction], limit: int = 20) -> list[tuple[str, str, int]]:
    """(intent, taken for, how many times), the most frequent first."""
    pairs = Counter((p.intent, p.guessed) for p in predictions if not p.right)
    return [(a, b, n) for (a, b), n in pairs.most_common(limit)]


def coverage(predictions: Sequence[Prediction], threshold: float) -> tuple[float, float]:
    """(share of examples at or above `threshold`, accuracy among them)."""
    sure = [p for p in predictions if p.confidence >= threshold]
    if not sure:
        return 0.0, 0.0
    return len(sure) / len(predictions), sum(p.right for p in sure) / len(sure)


def calibration_loss(predictions: Sequence[Prediction]) -> float:
    """Mean log loss of the top guess being right (how honest the confidences are)."""
    eps = 1e-9
    total = 0.0
    for p in predictions:
        c = min(max(p.confidence, eps), 1 - eps)
        total -= math.log(c) if p.right else math.log(1 - c)
    return total / len(predictions) if predictions else 0.0
