"""A trained linear model kept small for prediction: only the weights that matter, in arrays.

scikit-learn trains it (bot/nlu/fit.py, in a child process) and is never imported by a worker:
importing it costs about 100 MB of resident memory, more than a worker may use. What a worker
keeps is, per feature, its few strongest weights (label, weight), and a bias per label; scoring
a message is a sum over its features in plain Python (docs/benchmarks.md: well under 2 ms).
"""

from __future__ import annotations

import base64
import math
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Guess:
    """A label (an intent, a language) and how sure the model is of it, 0 to 1."""

    label: str
    confidence: float


class LinearModel:
    """Scores of each label for a message's features: sum of weights + bias, then a softmax."""

    def __init__(
        self,
        labels: Sequence[str],
        offsets: array,
        columns: array,
        weights: array,
        bias: Sequence[float],
        temperature: float,
    ) -> None:
        self.labels = tuple(labels)
        self.bias = tuple(bias)
        self.temperature = temperature
        # The rows of a sparse matrix (one per feature of the vocabulary) in arrays: feature i's
        # weights are columns/weights[offsets[i]:offsets[i + 1]]. A few bytes per weight, where
        # Python tuples of floats cost ten times that.
        self.offsets = offsets
        self.columns = columns
        self.weights = weights

    def scores(self, found: Iterable[tuple[int, float]]) -> list[float]:
        """`found`: (feature index, value) of one message."""
        totals = list(self.bias)
        columns, weights, offsets = self.columns, self.weights, self.offsets
        for feature, value in found:
            start, end = offsets[feature], offsets[feature + 1]
            if start == end:
                continue
            for column, weight in zip(columns[start:end], weights[start:end]):
                totals[column] += weight * value
        return totals

    def ranked(self, found: Iterable[tuple[int, float]]) -> list[Guess]:
        """Every label, likeliest first, with softmax confidences."""
        totals = self.scores(found)
        top = max(totals)
        exps = [math.exp((score - top) * self.temperature) for score in totals]
        whole = sum(exps)
        guesses = [Guess(label, e / whole) for label, e in zip(self.labels, exps)]
        guesses.sort(key=lambda g: -g.confidence)
        return guesses

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearModel:
        """From bot/nlu/fit.py's output: arrays as base64 little-endian bytes."""
        return cls(data["labels"], unpacked("I", data["offsets"]), unpacked("H", data["columns"]),
                   unpacked("f", data["weights"]), data["bias"], float(data["temperature"]))


def unpacked(code: str, text: str) -> array:
    values = array(code)
    values.frombytes(base64.b64decode(text))
    if sys.byteorder != "little":
        values.byteswap()
    return values
