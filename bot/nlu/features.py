"""What the intent and language models see of a text: character n-grams inside words and words.

Character n-grams of 3 to 5 letters within each word padded with spaces (scikit-learn's
`char_wb`; 2-letter grams added nothing in cross-validation and cost a quarter of the time) survive typos, missing accents and mixed spellings ("pagaron", "pagaro", "pagarón"
share most of them); words and pairs of words tell apart sentences built from the same letters.
The same function builds the training matrix (bot/nlu/fit.py) and reads each message at run
time (bot/nlu/linear.py), so the two can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from bot.nlu.normalize import normalize

CHAR_SIZES = (3, 4, 5)
# Words of a message read at most: a 10,000-character paste costs what a long sentence does.
MAX_WORDS = 60


def features(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(character n-grams, words and word pairs) of a text; word features start with '_'."""
    words = normalize(text).split()[:MAX_WORDS]
    chars: set[str] = set()
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in CHAR_SIZES:
            for start in range(size - n + 1):
                chars.add(padded[start:start + n])
    terms = {"_" + word for word in words}
    terms.update(f"_{first}_{second}" for first, second in zip(words, words[1:]))
    return frozenset(chars), frozenset(terms)


def encode(text: str, vocabulary: Mapping[str, int]) -> list[tuple[int, float]]:
    """(feature index, value) of a text's known features. Each block (characters, words) has
    the value 1/sqrt(its size), unknown features counted in the size: a message of words the
    model never saw scores low everywhere, so its confidence is low."""
    return encode_blocks(features(text), vocabulary)


def encode_blocks(blocks: tuple[frozenset[str], frozenset[str]], vocabulary: Mapping[str, int]
                  ) -> list[tuple[int, float]]:
    found: list[tuple[int, float]] = []
    for block in blocks:
        if not block:
            continue
        value = 1.0 / math.sqrt(len(block))
        found.extend((vocabulary[f], value) for f in block if f in vocabulary)
    return found
