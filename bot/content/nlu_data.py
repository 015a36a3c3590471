"""Training data of the intent classifier: example sentences per intent, in Rasa's NLU YAML format
(so a real Rasa can train on the same files), one file per language under dialogs/nlu/.

    # dialogs/nlu/es.yaml (the file's name says the language: es.yaml, es_more.yaml...)
    version: "3.1"
    nlu:
      - intent: rights.unpaid        # a step (flow.step), a flow, cmd.<command> or greet
        examples: |
          - el patrón no me ha pagado
          - no me pagan desde hace dos semanas

Read by document.py (a file whose top key is `nlu:`), checked by validate.py, compiled into
CompiledContent.nlu_examples: language -> ((intent, text), ...).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from bot.content.errors import ContentError
from bot.content.yamlsource import Map, Seq
from bot.languages import LANGUAGES
from bot.nlu.normalize import normalize

NLU_KEYS = {"version", "nlu"}
INTENT_KEYS = {"intent", "examples"}
# Kinds of entries Rasa knows that Puente does not use (entities are not extracted).
RASA_ONLY = ("synonym", "regex", "lookup")
MAX_EXAMPLE_CHARS = 300
GREET = "greet"
COMMAND_PREFIX = "cmd."
# Commands whose examples come before the command itself: "talk to a person" arrives with the
# handoff issue, and the classifier can learn it now.
PLANNED_COMMANDS = ("person",)

# (line, message, fix): how this module reports a mistake to the document reader.
Report = Callable[[int, str, str], None]


@dataclass
class RawIntent:
    """One `- intent:` entry: its name, the line it is on, and (text, line) per example."""

    name: str
    line: int
    examples: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class RawNlu:
    path: str
    language: str
    intents: list[RawIntent] = field(default_factory=list)


def language_of(path: str) -> str | None:
    """'dialogs/nlu/ht.yaml' -> 'ht'; 'dialogs/nlu/es_more.yaml' -> 'es'."""
    lang = PurePosixPath(path).stem.split("_")[0]
    return lang if lang in LANGUAGES else None


def read_nlu(data: Map, path: str, report: Report) -> RawNlu | None:
    """The intents and examples of an `nlu:` file, each shape mistake reported with its line."""
    for key in data:
        if key not in NLU_KEYS:
            report(data.line_of(key), f"unknown key '{key}' in a training data file",
                   f"allowed: {', '.join(sorted(NLU_KEYS))}")
    if "version" in data and not isinstance(data["version"], str):
        report(data.line_of("version"), "'version' must be quoted text", 'write version: "3.1"')
    language = language_of(path)
    if language is None:
        report(1, "a training data file is named after its language",
               f"rename it to dialogs/nlu/<language>.yaml with one of: {', '.join(LANGUAGES)}")
        return None
    entries = data.get("nlu")
    if not isinstance(entries, Seq):
        report(data.line_of("nlu"), "'nlu' must be a list of '- intent: name' entries",
               "write '- intent: name' and 'examples: |' on the lines below")
        return None
    result = RawNlu(path, language)
    for index, entry in enumerate(entries):
        found = _intent(entry, entries.line_of(index), report)
        if found is not None:
            result.intents.append(found)
    return result


def _intent(entry: object, line: int, report: Report) -> RawIntent | None:
    if isinstance(entry, Map) and any(kind in entry for kind in RASA_ONLY):
        report(line, "synonyms, regexes and lookup tables are not used by Puente",
               "remove the entry, or write the words as examples of an intent")
        return None
    if not isinstance(entry, Map) or not str(entry.get("intent") or "").strip():
        report(line, "each entry needs '- intent: name' and 'examples: |'",
               "write the intent's name after '- intent:'")
        return None
    for key in entry:
        if key not in INTENT_KEYS:
            report(entry.line_of(key), f"unknown key '{key}' in an intent", "allowed: intent, examples")
    name = str(entry["intent"]).strip()
    examples = entry.get("examples")
    if not isinstance(examples, str):
        report(entry.line_of("examples") if "examples" in entry else entry.line,
               f"intent '{name}' has no examples",
               "write 'examples: |' and then one '- example' per line, indented below it")
        return None
    intent = RawIntent(name, entry.line)
    # A block ('examples: |') starts on the line after its key.
    first = entry.line_of("examples") + 1
    for offset, raw in enumerate(examples.split("\n")):
        text = raw.strip()
        where = first + offset
        if not text:
            continue
        if not text.startswith("-"):
            report(where, f"intent '{name}': '{text[:40]}' is not a list item",
                   "start each example with '- '")
            continue
        text = text[1:].strip()
        if not text:
            report(where, f"intent '{name}': an empty example", "write the sentence after '- ', or delete the line")
            continue
        if len(text) > MAX_EXAMPLE_CHARS:
            report(where, f"intent '{name}': an example of {len(text)} characters",
                   f"keep examples under {MAX_EXAMPLE_CHARS} characters: shorten it or split it in two")
            continue
        intent.examples.append((text, where))
    return intent


def intent_names(steps: Mapping[str, Iterable[str]], commands: Iterable[str]) -> set[str]:
    """What an example may stand for: a step ('rights.unpaid'), a flow, a global command, a
    greeting. `steps`: flow id -> its step ids."""
    names = {GREET}
    for flow, ids in steps.items():
        names.add(flow)
        names.update(f"{flow}.{step}" for step in ids)
    names.update(COMMAND_PREFIX + name for name in (*commands, *PLANNED_COMMANDS))
    return names


def check_examples(files: Iterable[RawNlu], known: set[str]) -> list[ContentError]:
    """Unknown intents, and the same sentence given twice in one language (for one intent or two)."""
    errors: list[ContentError] = []
    # per language: the sentence as typed (case and spacing aside) and normalised -> where first seen
    typed: dict[tuple[str, str, str], tuple[str, int]] = {}
    plain: dict[tuple[str, str], tuple[str, str, int]] = {}
    for nlu in files:
        for intent in nlu.intents:
            if intent.name not in known:
                close = difflib.get_close_matches(intent.name, sorted(known), n=2)
                errors.append(ContentError(
                    nlu.path, intent.line, f"unknown intent '{intent.name}'",
                    ("did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else
                    "use a step (flow.step), a flow, cmd.<command> or greet"))
            for text, line in intent.examples:
                key = " ".join(text.casefold().split())
                first = typed.get((nlu.language, intent.name, key))
                if first is not None:
                    errors.append(ContentError(nlu.path, line, f"example '{text}' appears twice for "
                                               f"'{intent.name}'", f"the first is in {first[0]}:{first[1]}; "
                                               "delete one"))
                    continue
                typed[(nlu.language, intent.name, key)] = (nlu.path, line)
                other = plain.get((nlu.language, normalize(text)))
                if other is not None and other[0] != intent.name:
                    errors.append(ContentError(nlu.path, line, f"example '{text}' is given for "
                                               f"'{intent.name}' and for '{other[0]}' ({other[1]}:{other[2]})",
                                               "keep it under the one intent it means"))
                    continue
                plain.setdefault((nlu.language, normalize(text)), (intent.name, nlu.path, line))
    return errors


def compile_examples(files: Iterable[RawNlu]) -> Mapping[str, tuple[tuple[str, str], ...]]:
    """language -> ((intent, text), ...), in file order."""
    table: dict[str, list[tuple[str, str]]] = {}
    for nlu in files:
        table.setdefault(nlu.language, []).extend(
            (intent.name, text) for intent in nlu.intents for text, _ in intent.examples
        )
    return {lang: tuple(pairs) for lang, pairs in table.items()}


# A word in this many examples (any language) is a word of the languages, not a typo.
KNOWN_WORD_EXAMPLES = 2


def known_words(examples: Mapping[str, tuple[tuple[str, str], ...]]) -> frozenset[str]:
    """Normalised words found in at least KNOWN_WORD_EXAMPLES examples: the matcher never reads
    them as a near miss of another word (bot/nlu/matcher.py, PhraseSet.known)."""
    counts: dict[str, int] = {}
    for pairs in examples.values():
        for _, text in pairs:
            for word in set(normalize(text).split()):
                counts[word] = counts.get(word, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= KNOWN_WORD_EXAMPLES and not w.isdigit())
