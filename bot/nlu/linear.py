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
from typing import Any, NamedTuple


class Guess(NamedTuple):
    """A label (an intent, a language) and how sure the model is of it, 0 to 1. (A named
    tuple: a reading builds one per label, and a frozen dataclass cost a microsecond each.)"""

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

    def scores(self, blocks: Iterable[tuple[Sequence[int], float]]) -> list[float]:
        """`blocks`: (feature indices, value) of one message, per block of features
        (bot.nlu.features.known_blocks): a block's weights are summed, then scaled once."""
        totals = list(self.bias)
        columns, weights, offsets = self.columns, self.weights, self.offsets
        for features, value in blocks:
            block = [0.0] * len(totals)
            for feature in features:
                start, end = offsets[feature], offsets[feature + 1]
                if start != end:
                    for column, weight in zip(columns[start:end], weights[start:end]):
                        block[column] += weight
            totals = [total + part * value for total, part in zip(totals, block)]
        return totals

    def ranked(self, blocks: Iterable[tuple[Sequence[int], float]]) -> list[Guess]:
        """Every label, likeliest first, with softmax confidences."""
        totals = self.scores(blocks)
        top, temperature = max(totals), self.temperature
        exps = [math.exp((score - top) * temperature) for score in totals]
        whole = sum(exps)
        ordered = sorted(zip(self.labels, exps), key=_second, reverse=True)
        return [Guess(label, e / whole) for label, e in ordered]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearModel:
        """From bot/nlu/fit.py's output: arrays as base64 little-endian bytes."""
        return cls(data["labels"], unpacked("I", data["offsets"]), unpacked("H", data["columns"]),
                   unpacked("f", data["weights"]), data["bias"], float(data["temperature"]))


def _second(pair: tuple[str, float]) -> float:
    return pair[1]


def unpacked(code: str, text: str) -> array:
    values = array(code)
    values.frombytes(base64.b64decode(text))
    if sys.byteorder != "little":
        values.byteswap()
    return values
