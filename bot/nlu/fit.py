"""Training the intent and language models with scikit-learn (LinearSVC on bot/nlu/features.py).

A worker never imports this module: scikit-learn, SciPy and NumPy cost about 100 MB of resident
memory. `bot.nlu.understanding.train` runs it in a child process (`python -m bot.nlu.fit`, the
examples as JSON on stdin, the pruned model as JSON on stdout); `puente nlu test` imports it to
cross-validate. Why LinearSVC: docs/development.md, "How understanding works".
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.svm import LinearSVC

from bot.nlu.features import encode, features

# (language, intent, text): one training example.
Example = tuple[str, str, str]

FORMAT = 1
# Regularisation, chosen by cross-validated accuracy on the training data (puente nlu test).
INTENT_C = 1.0
LANGUAGE_C = 0.5
# A feature seen in fewer examples is left out: half the vocabulary, a worker's memory, for
# half a point of cross-validated accuracy.
MIN_COUNT = 2
# A feature in more than this share of the examples (" d", "de", "_que") says little about any
# intent and costs the most to score: left out (a third of the time per message, same accuracy).
MAX_SHARE = 0.1
# Share of the weights kept for prediction (the largest); the rest change few decisions.
INTENT_KEEP = 0.1
LANGUAGE_KEEP = 0.2
# Softmax temperatures turning decision values into confidences, chosen so that confidences
# match how often the model is right in cross-validation (bot/nlu/evaluation.py calibrates).
INTENT_TEMPERATURE = 6.0
LANGUAGE_TEMPERATURE = 6.0


def vocabulary_of(texts: Sequence[str], min_count: int = 1, max_share: float = 1.0) -> dict[str, int]:
    """Features of at least `min_count` examples and at most `max_share` of them, numbered in
    order of first appearance."""
    counts: dict[str, int] = {}
    for text in texts:
        chars, words = features(text)
        for feature in sorted(chars | words):
            counts[feature] = counts.get(feature, 0) + 1
    limit = max_share * len(texts)
    kept = (feature for feature, count in counts.items() if min_count <= count <= limit)
    return {feature: index for index, feature in enumerate(kept)}


def matrix(texts: Sequence[str], vocabulary: dict[str, int]) -> csr_matrix:
    """One row per text: each block (characters, words) scaled to unit length, as at run time."""
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, text in enumerate(texts):
        for index, value in encode(text, vocabulary):
            rows.append(row)
            cols.append(index)
            values.append(value)
    return csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64)


def _pruned(classifier: LinearSVC, keep: float, temperature: float) -> dict[str, Any]:
    weights = np.asarray(classifier.coef_, dtype=np.float32)
    if weights.shape[0] == 1:  # two labels: scikit-learn keeps one row
        weights = np.vstack([-weights, weights])
    bias = np.asarray(classifier.intercept_, dtype=np.float64)
    if bias.shape[0] == 1:
        bias = np.concatenate([-bias, bias])
    threshold = float(np.quantile(np.abs(weights), 1.0 - keep)) if keep < 1 else 0.0
    kept = csr_matrix(np.where(np.abs(weights) >= threshold, weights, 0).T)  # (features, labels)
    kept.sort_indices()
    # Arrays travel as bytes (base64): the worker reads them into `array`s without building a
    # Python number per weight, which would leave megabytes of freed objects behind.
    return {
        "labels": [str(label) for label in classifier.classes_],
        "offsets": packed(kept.indptr, "<u4"), "columns": packed(kept.indices, "<u2"),
        "weights": packed(kept.data, "<f4"), "bias": [float(b) for b in bias], "temperature": temperature,
    }


def packed(values: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def fit(examples: Sequence[Example]) -> dict[str, Any]:
    """The models as JSON-ready data: vocabulary, intents, languages."""
    texts = [text for _, _, text in examples]
    vocabulary = vocabulary_of(texts, MIN_COUNT, MAX_SHARE)
    data = matrix(texts, vocabulary)
    intents = LinearSVC(C=INTENT_C).fit(data, [intent for _, intent, _ in examples])
    languages = LinearSVC(C=LANGUAGE_C).fit(data, [lang for lang, _, _ in examples])
    return {
        "format": FORMAT,
        "vocabulary": "\n".join(vocabulary),
        "intents": _pruned(intents, INTENT_KEEP, INTENT_TEMPERATURE),
        "languages": _pruned(languages, LANGUAGE_KEEP, LANGUAGE_TEMPERATURE),
    }


def main() -> int:
    request = json.load(sys.stdin)
    examples = [(str(lang), str(intent), str(text)) for lang, intent, text in request["examples"]]
    json.dump(fit(examples), sys.stdout, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
