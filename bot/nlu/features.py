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
from functools import cache

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
        # Every gram of the padded word, cut by slices made once per length (in C).
        chars.update(map(padded.__getitem__, _gram_slices(len(padded))))
    terms = {"_" + word for word in words}
    terms.update(map("_{}_{}".format, words, words[1:]))
    return frozenset(chars), frozenset(terms)


@cache
def _gram_slices(size: int) -> tuple[slice, ...]:
    return tuple(slice(start, start + n) for n in CHAR_SIZES for start in range(size - n + 1))


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


def known_blocks(blocks: tuple[frozenset[str], frozenset[str]], vocabulary: Mapping[str, int]
                 ) -> list[tuple[list[int], float]]:
    """encode_blocks grouped by block: (known feature indices, the block's value), for scoring
    a block's weights together and scaling once (bot/nlu/linear.py)."""
    found: list[tuple[list[int], float]] = []
    get = vocabulary.get
    for block in blocks:
        if block:
            found.append(([i for i in map(get, block) if i is not None], 1.0 / math.sqrt(len(block))))
    return found
