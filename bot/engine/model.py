"""Compiled content: the immutable flows, texts and phrases the engine interprets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# LANGUAGES and SOURCE_LANGUAGE live in the leaf module bot.languages; imported here as well by
# code written before it existed.
from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.nlu.matcher import Phrase

# Key of phrase tables holding the words of every language together.
ANY_LANGUAGE = "*"

# Special jump targets. Everything else is "flow.step".
MENU = "@menu"      # the main menu
RETURN = "@return"  # back to the question the user left for a detour (language, help)
END = "@end"        # the conversation rests until the user writes again
DELETE = "@delete"  # asks "delete all your data?" (the same as the global command)
PERSON = "@person"  # hands the conversation to a person of the staff (the `person` command)
SPECIAL_TARGETS = (MENU, RETURN, END, DELETE, PERSON)

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([a-z]+))?\}")


def placeholders(text: str) -> frozenset[str]:
    return frozenset(m.group(0) for m in PLACEHOLDER.finditer(text))


@dataclass(frozen=True)
class LocalText:
    """A Spanish source text and its translations; msgctxt is `ctx`."""

    ctx: str
    source: str
    translations: Mapping[str, str] = field(default_factory=dict)

    def get(self, lang: str) -> tuple[str, bool]:
        """The text in `lang`, and whether it fell back to Spanish."""
        if lang == SOURCE_LANGUAGE:
            return self.source, False
        found = self.translations.get(lang)
        return (found, False) if found else (self.source, True)


@dataclass(frozen=True)
class ChoiceSpec:
    id: str
    label: LocalText
    go: str | None = None
    # Stored in the step's slot when chosen (defaults to the id).
    value: Any = None
    # Per language, extra words that pick this choice ("si", "wi", "oui", "yes", "sim").
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def slot_value(self) -> Any:
        return self.id if self.value is None else self.value


@dataclass(frozen=True)
class Branch:
    slot: str
    cases: Mapping[str, str]
    otherwise: str | None


@dataclass(frozen=True)
class Step:
    flow: str
    id: str
    say: LocalText | None = None
    action: str | None = None
    slot: str | None = None
    # A name in bot.engine.steps.REGISTRY: how the question is asked and its answer read.
    type: str = "text"
    validate: str | None = None
    choices: tuple[ChoiceSpec, ...] = ()
    # A slot holding [{"id": ..., "label": ...}] set by an action (search results, suggestions).
    choices_from: str | None = None
    branch: Branch | None = None
    next: str | None = None
    hint: LocalText | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 300
    # Counted in reading statistics when shown (rights topics).
    track: bool = False
    # Where the step's facts come from, and when staff last checked them (ISO date): shown
    # as a footer under the step's text.
    source: LocalText | None = None
    reviewed: str | None = None
    # Slot values set when the step is entered ("set: {support_kind: shelter}").
    sets: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0

    @property
    def ref(self) -> str:
        return f"{self.flow}.{self.id}"

    @property
    def navigates_only(self) -> bool:
        """A menu: buttons that jump somewhere and store nothing. Old menu buttons stay usable."""
        return bool(self.choices) and self.slot is None and self.choices_from is None

    def choice_payload(self, choice_id: str) -> str:
        return f"{self.flow}.{self.id}.{choice_id}"


@dataclass(frozen=True)
class Flow:
    id: str
    steps: Mapping[str, Step]
    start: str
    file: str = ""
    title: LocalText | None = None


@dataclass(frozen=True)
class DataSet:
    """The records of a data file (`data:` in dialogs/): plain values, translated fields as LocalText."""

    name: str
    items: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class CompiledContent:
    flows: Mapping[str, Flow]
    messages: Mapping[str, LocalText]
    responses: Mapping[str, LocalText]
    values: Mapping[str, Any]
    # Per language: global commands (key = menu, back, help, language, delete), topic triggers
    # (key = step ref) and greetings (key = language), all normalised at load time.
    commands: Mapping[str, tuple[Phrase, ...]]
    triggers: Mapping[str, tuple[Phrase, ...]]
    greetings: Mapping[str, tuple[Phrase, ...]]
    # Per language: words for yes / no / continue / restart in system questions.
    answers: Mapping[str, tuple[Phrase, ...]]
    # Choice phrases per step ref and language (labels and keywords), precompiled for speed.
    choice_phrases: Mapping[tuple[str, str], tuple[Phrase, ...]]
    language_names: Mapping[str, str]
    language_phrases: tuple[Phrase, ...]
    menu_flow: str = "main"
    language_flow: str = "language"
    revision: str = "files"
    languages: tuple[str, ...] = LANGUAGES
    # Records that actions read (directories of partner organizations...), by data file name.
    data: Mapping[str, DataSet] = field(default_factory=dict)
    # Per language: the accented words of its triggers ("salário"), to tell languages apart
    # when the same unaccented words are a topic in two of them.
    trigger_accents: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Per language: words of a vocabulary (trade names) leading to a flow's start (key = step
    # ref), tried after the triggers, only at the main menu, in that flow and in a first message.
    vocabulary_triggers: Mapping[str, tuple[Phrase, ...]] = field(default_factory=dict)
    vocabulary_flows: frozenset[str] = frozenset()
    # Per language: (intent, example sentence) pairs of dialogs/nlu/, for the intent classifier.
    nlu_examples: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @cached_property
    def greeting_words(self) -> frozenset[str]:
        """Every word of every language's greetings ("hola", "buenas", "bonjou")."""
        return frozenset(w for group in self.greetings.values() for p in group for w in p.words)

    def step(self, ref: str) -> Step:
        flow_id, _, step_id = ref.partition(".")
        flow = self.flows[flow_id]
        return flow.steps[step_id or flow.start]

    def has_step(self, ref: str) -> bool:
        flow_id, _, step_id = ref.partition(".")
        flow = self.flows.get(flow_id)
        return flow is not None and (not step_id or step_id in flow.steps)

    def resolve(self, ref: str) -> str:
        """'rights' -> 'rights.<start step>'; a full ref stays as it is."""
        flow_id, _, step_id = ref.partition(".")
        return f"{flow_id}.{step_id or self.flows[flow_id].start}"
