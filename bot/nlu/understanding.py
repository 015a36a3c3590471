"""Understanding free text: which intent a message means and which language it is written in,
from models trained on the content's example sentences (dialogs/nlu/<lang>.yaml).

    understanding = train(content.nlu_examples)      # bot/nlu/training.py, once per revision
    reading = understanding.read("el patron no me paga")
    reading.intents[0]    # Guess("rights.unpaid", 0.93)
    reading.languages[0]  # Guess("es", 0.99)

Pure: reading a message does no I/O (the engine holds one per content revision).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from bot.nlu.features import features, known_blocks
from bot.nlu.linear import Guess, LinearModel

__all__ = ["Guess", "Reading", "Understanding"]


class Reading:
    """What the models make of one message: intents and languages, likeliest first. Each is
    scored when first asked for (the language only matters for a first message)."""

    def __init__(self, found: list[tuple[list[int], float]], known_words: int, intents: LinearModel,
                 languages: LinearModel) -> None:
        self._found = found
        self._models = (intents, languages)
        # How many of the message's words (and word pairs) the models were trained on: none
        # means the letters alone decided ("qqq"), too little to offer topics.
        self.known_words = known_words

    @cached_property
    def intents(self) -> tuple[Guess, ...]:
        return tuple(self._models[0].ranked(self._found))

    @cached_property
    def languages(self) -> tuple[Guess, ...]:
        return tuple(self._models[1].ranked(self._found))


class Understanding:
    """The trained models of one content revision. Pure: reading a message does no I/O."""

    def __init__(self, vocabulary: Sequence[str], intents: LinearModel, languages: LinearModel) -> None:
        self.vocabulary = {feature: index for index, feature in enumerate(vocabulary)}
        self.intents = intents
        self.languages = languages

    def read(self, text: str) -> Reading:
        chars, words = features(text)
        vocabulary = self.vocabulary
        found = known_blocks((chars, words), vocabulary)
        known = sum(1 for word in words if word in vocabulary)
        return Reading(found, known, self.intents, self.languages)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Understanding:
        return cls(
            data["vocabulary"].split("\n"), LinearModel.from_json(data["intents"]),
            LinearModel.from_json(data["languages"]),
        )
