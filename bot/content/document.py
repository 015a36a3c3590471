"""Reading dialogs/*.yaml into plain records with line numbers, reporting shape mistakes."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from bot.content.data import RawData, read_data
from bot.content.errors import ContentError
from bot.content.named_values import RawValue, read_values
from bot.content.nlu_data import RawNlu, read_nlu
from bot.content.texts import TextItem
from bot.content.yamlsource import Map, Seq, YamlError, load_yaml
from bot.engine.steps import STEP_TYPES
from bot.languages import LANGUAGES

ID = re.compile(r"^[a-z][a-z0-9_]*$")
STEP_KEYS = {
    "id", "say", "action", "ask", "type", "validate", "choices", "choices_from", "branch",
    "next", "hint", "min", "max", "max_length", "track", "triggers", "note", "source", "reviewed",
    "set",
}
CHOICE_KEYS = {"id", "label", "go", "value", "keywords", "note"}
FLOW_KEYS = {"flow", "title", "description", "start", "triggers", "trigger_vocabulary", "values", "responses", "steps"}
SYSTEM_KEYS = {"menu_flow", "language_flow", "messages", "commands", "answers", "greetings"}




@dataclass
class RawChoice:
    id: str
    label: TextItem
    go: str | None
    value: Any
    keywords: dict[str, list[str]]
    line: int


@dataclass
class RawStep:
    flow: str
    id: str
    path: str
    line: int
    data: Map
    say: TextItem | None = None
    hint: TextItem | None = None
    source: TextItem | None = None
    choices: list[RawChoice] = field(default_factory=list)
    triggers: dict[str, list[str]] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.data.line_of(key)


@dataclass
class RawFlow:
    id: str
    path: str
    line: int
    start: str | None
    title: TextItem | None
    steps: list[RawStep]
    triggers: dict[str, list[str]]
    start_line: int = 0
    # A vocabulary of bot/nlu whose words also lead to the flow ("occupations": any trade
    # named at the main menu or in the flow starts it), below its own triggers.
    trigger_vocabulary: str | None = None
    vocabulary_line: int = 0


@dataclass
class RawSystem:
    path: str
    menu_flow: str
    language_flow: str
    messages: dict[str, TextItem]
    commands: dict[str, dict[str, list[str]]]
    answers: dict[str, dict[str, list[str]]]
    greetings: dict[str, list[str]]


@dataclass
class Documents:
    flows: list[RawFlow] = field(default_factory=list)
    system: RawSystem | None = None
    responses: dict[str, TextItem] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    value_notes: dict[str, RawValue] = field(default_factory=dict)
    data: dict[str, RawData] = field(default_factory=dict)
    nlu: list[RawNlu] = field(default_factory=list)  # training data (dialogs/nlu/*.yaml)
    errors: list[ContentError] = field(default_factory=list)

    def texts(self) -> list[TextItem]:
        """Every translatable text, in file order (what the .pot holds)."""
        items: list[TextItem] = []
        if self.system:
            items += self.system.messages.values()
        for flow in self.flows:
            if flow.title:
                items.append(flow.title)
            for step in flow.steps:
                items += [t for t in (step.say, step.hint, step.source) if t]
                items += [c.label for c in step.choices]
        items += self.responses.values()
        for data in self.data.values():
            items += data.texts()
        return items


def read_documents(files: list[tuple[str, str]]) -> Documents:
    docs = Documents()
    for path, text in files:
        _Reader(path, docs).read(text)
    return docs


class _Reader:
    def __init__(self, path: str, docs: Documents) -> None:
        self.path = path
        self.docs = docs

    def error(self, line: int, message: str, fix: str = "") -> None:
        self.docs.errors.append(ContentError(self.path, line, message, fix))

    def read(self, text: str) -> None:
        try:
            data = load_yaml(text)
        except YamlError as error:
            self.error(error.line, error.message, "check the indentation and quotes on that line")
            return
        if not isinstance(data, Map):
            self.error(1, "the file must be a mapping with 'flow:', 'data:', 'nlu:' or 'system:' at the top")
            return
        if "system" in data:
            self.read_system(data)
        elif "flow" in data:
            self.read_flow(data)
        elif "data" in data:
            self.read_data(data)
        elif "nlu" in data:
            self.read_nlu(data)
        else:
            self.error(data.line, "the file has neither 'flow:', 'data:', 'nlu:' nor 'system:'",
                       "start the file with 'flow: <name>'")

    def read_data(self, data: Map) -> None:
        found = read_data(data, self.path, self.error)
        if found is None:
            return
        if found.name in self.docs.data:
            first = self.docs.data[found.name]
            self.error(found.line, f"data '{found.name}' is defined twice",
                       f"the first is in {first.path}:{first.line}; rename one")
            return
        self.docs.data[found.name] = found

    def read_nlu(self, data: Map) -> None:
        found = read_nlu(data, self.path, self.error)
        if found is not None:
            self.docs.nlu.append(found)

    # -- helpers -------------------------------------------------------------------------------

    def text(self, owner: Map, key: str, ctx: str) -> TextItem | None:
        value = owner.get(key)
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or not str(value).strip():
            self.error(owner.line_of(key), f"'{key}' must be a text", "write the Spanish text after it")
            return None
        return TextItem(ctx, str(value).strip(), self.path, owner.line_of(key))

    def keywords(self, owner: Map, key: str) -> dict[str, list[str]]:
        value = owner.get(key)
        if value is None:
            return {}
        if not isinstance(value, Map):
            self.error(owner.line_of(key), f"'{key}' must map languages to word lists",
                       "write e.g. 'es: [salario, sueldo]' on the lines below")
            return {}
        result: dict[str, list[str]] = {}
        for lang, words in value.items():
            if lang not in LANGUAGES:
                self.error(value.line_of(lang), f"unknown language '{lang}'",
                           f"use one of: {', '.join(LANGUAGES)}")
                continue
            if isinstance(words, str):
                words = [words]
            if not isinstance(words, list) or not all(isinstance(w, (str, int)) for w in words):
                self.error(value.line_of(lang), f"the words for '{lang}' must be a list",
                           "write them as [word one, word two]")
                continue
            result[lang] = [str(w) for w in words]
        return result

    def unknown_keys(self, owner: Map, allowed: set[str], what: str) -> None:
        for key in owner:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(sorted(allowed))}"
                self.error(owner.line_of(key), f"unknown key '{key}' in {what}", hint)

    # -- system --------------------------------------------------------------------------------

    def read_system(self, data: Map) -> None:
        body = data["system"]
        if not isinstance(body, Map):
            self.error(data.line_of("system"), "'system' must be a mapping")
            return
        if self.docs.system is not None:
            self.error(body.line, f"a second 'system:' file (the first is {self.docs.system.path})",
                       "keep one system file")
            return
        self.unknown_keys(body, SYSTEM_KEYS, "system")
        messages: dict[str, TextItem] = {}
        raw_messages = body.get("messages")
        if isinstance(raw_messages, Map):
            for key in raw_messages:
                item = self.text(raw_messages, key, f"system.{key}")
                if item:
                    messages[key] = item
        else:
            self.error(body.line, "'messages' must be a mapping of message names to texts")
        self.docs.system = RawSystem(
            path=self.path,
            menu_flow=str(body.get("menu_flow", "main")),
            language_flow=str(body.get("language_flow", "language")),
            messages=messages,
            commands=self.keyword_groups(body, "commands"),
            answers=self.keyword_groups(body, "answers"),
            greetings=self.keywords(body, "greetings"),
        )

    def keyword_groups(self, body: Map, key: str) -> dict[str, dict[str, list[str]]]:
        groups = body.get(key)
        if groups is None:
            return {}
        if not isinstance(groups, Map):
            self.error(body.line_of(key), f"'{key}' must be a mapping")
            return {}
        return {name: self.keywords(groups, name) for name in groups}

    # -- flows ---------------------------------------------------------------------------------

    def read_flow(self, data: Map) -> None:
        self.unknown_keys(data, FLOW_KEYS, "a flow")
        flow_id = str(data.get("flow"))
        if not ID.match(flow_id):
            self.error(data.line_of("flow"), f"flow name '{flow_id}' is not allowed",
                       "use lowercase letters, digits and _ (e.g. 'rights')")
            return
        steps_data = data.get("steps")
        if not isinstance(steps_data, Seq) or not steps_data:
            self.error(data.line_of("steps") if "steps" in data else data.line,
                       f"flow '{flow_id}' has no steps", "add 'steps:' with at least one '- id: ...'")
            return
        flow = RawFlow(
            id=flow_id,
            path=self.path,
            line=data.line_of("flow"),
            start=str(data["start"]) if "start" in data else None,
            start_line=data.line_of("start"),
            title=self.text(data, "title", f"{flow_id}.title"),
            steps=[],
            triggers=self.keywords(data, "triggers"),
            trigger_vocabulary=str(data["trigger_vocabulary"]) if "trigger_vocabulary" in data else None,
            vocabulary_line=data.line_of("trigger_vocabulary") if "trigger_vocabulary" in data else 0,
        )
        for index, raw in enumerate(steps_data):
            step = self.read_step(flow_id, raw, steps_data.line_of(index))
            if step:
                flow.steps.append(step)
        self.docs.flows.append(flow)
        self.read_values(data, flow_id)
        self.read_responses(data)

    def read_values(self, data: Map, flow_id: str) -> None:
        read_values(data, self.path, flow_id, self.docs.value_notes, self.error)
        self.docs.values.update((name, note.value) for name, note in self.docs.value_notes.items())

    def read_responses(self, data: Map) -> None:
        responses = data.get("responses")
        if responses is None:
            return
        if not isinstance(responses, Map):
            self.error(data.line_of("responses"), "'responses' must map names to texts")
            return
        for name in responses:
            if name in self.docs.responses:
                first = self.docs.responses[name]
                self.error(responses.line_of(name), f"response '{name}' is defined twice",
                           f"the first is in {first.path}:{first.line}")
                continue
            item = self.text(responses, name, f"responses.{name}")
            if item:
                self.docs.responses[name] = item

    def read_step(self, flow_id: str, raw: Any, line: int) -> RawStep | None:
        if not isinstance(raw, Map):
            self.error(line, "a step must be a mapping starting with '- id: <name>'")
            return None
        step_id = str(raw.get("id", ""))
        if not ID.match(step_id):
            self.error(raw.line, f"step id '{step_id}' is missing or not allowed",
                       "give each step '- id: name' with lowercase letters, digits and _")
            return None
        self.unknown_keys(raw, STEP_KEYS, f"step '{step_id}'")
        base = f"{flow_id}.{step_id}"
        step = RawStep(flow_id, step_id, self.path, raw.line, raw)
        step.say = self.text(raw, "say", f"{base}.say")
        step.hint = self.text(raw, "hint", f"{base}.hint")
        step.source = self.text(raw, "source", f"{base}.source")
        if "reviewed" in raw:
            self.check_date(raw, "reviewed", step_id)
        step.triggers = self.keywords(raw, "triggers")
        kind = raw.get("type")
        if kind is not None and kind not in STEP_TYPES:
            self.error(raw.line_of("type"), f"unknown type '{kind}'", f"use one of: {', '.join(STEP_TYPES)}")
        choices = raw.get("choices")
        if choices is not None:
            if not isinstance(choices, Seq):
                self.error(raw.line_of("choices"), "'choices' must be a list of '- id: ... label: ...'")
            else:
                for index, choice in enumerate(choices):
                    parsed = self.read_choice(base, choice, choices.line_of(index))
                    if parsed:
                        step.choices.append(parsed)
        return step

    def check_date(self, owner: Map, key: str, step_id: str) -> None:
        value = owner[key]
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            self.error(owner.line_of(key), f"step '{step_id}': '{key}' must be a date, not '{value}'",
                       "write it as year-month-day, e.g. 2026-11-25")

    def read_choice(self, base: str, raw: Any, line: int) -> RawChoice | None:
        if not isinstance(raw, Map):
            self.error(line, "a choice must be a mapping with 'id' and 'label'")
            return None
        choice_id = str(raw.get("id", ""))
        if not ID.match(choice_id):
            self.error(raw.line, f"choice id '{choice_id}' is missing or not allowed",
                       "use lowercase letters, digits and _")
            return None
        self.unknown_keys(raw, CHOICE_KEYS, f"choice '{choice_id}'")
        label = self.text(raw, "label", f"{base}.choices.{choice_id}")
        if label is None:
            self.error(raw.line, f"choice '{choice_id}' has no label", "add 'label: <Spanish text>'")
            return None
        go = raw.get("go")
        return RawChoice(
            id=choice_id,
            label=label,
            go=str(go) if go is not None else None,
            value=raw.get("value"),
            keywords=self.keywords(raw, "keywords"),
            line=raw.line,
        )
