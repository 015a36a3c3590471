"""Content checked like code: every mistake named with its file, line and a fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bot.content.catalog import Catalogs
from bot.content.document import ID, ContentError, Documents, RawFlow, RawStep
from bot.content.nlu_data import check_examples, intent_names
from bot.content.source import po_path
from bot.content.targets import Targets
from bot.content.texts import TextItem
from bot.engine.handoff import HANDOFF_MESSAGES
from bot.engine.model import MENU, placeholders
from bot.engine.steps import StepType, named
from bot.languages import LANGUAGES
from bot.nlu.matcher import PhraseSet, match_whole, phrases
from bot.nlu.normalize import normalize

REQUIRED_MESSAGES = (
    "not_understood", "choose_number", "invalid_number", "number_out_of_range", "not_a_date",
    "impossible_date", "too_long", "no_words", "empty", "media", "stale_button",
    "back_unavailable", "help", "offer_menu", "menu_button", "idle", "idle_continue",
    "idle_restart", "delete_confirm", "delete_yes", "delete_no", "deleted", "not_deleted",
    "first_topic", "error", "source_line", "reviewed_line", "did_you_mean", "something_else",
    "not_placed", "switch_language", "talk_to_person", *HANDOFF_MESSAGES,
)
REQUIRED_COMMANDS = ("menu", "back", "help", "language", "delete", "person")
REQUIRED_ANSWERS = ("yes", "no", "continue", "restart")
MAX_PAYLOAD_BYTES = 64


def step_targets(step: RawStep) -> list[tuple[str, int, str]]:
    """(target, line, what) for every jump a step can make, explicit ones only."""
    found: list[tuple[str, int, str]] = []
    if step.data.get("next") is not None:
        found.append((str(step.data["next"]), step.line_of("next"), "next"))
    for choice in step.choices:
        if choice.go is not None:
            found.append((choice.go, choice.line, f"choice '{choice.id}'"))
    branch = step.data.get("branch")
    if isinstance(branch, dict):
        cases = branch.get("cases")
        if isinstance(cases, dict):
            for value, target in cases.items():
                found.append((str(target), step.line_of("branch"), f"branch case '{value}'"))
        if branch.get("else") is not None:
            found.append((str(branch["else"]), step.line_of("branch"), "branch else"))
    return found


def falls_through(step: RawStep) -> bool:
    """Whether the step may continue to the step after it (no explicit way out covers all cases)."""
    if step.data.get("next") is not None:
        return False
    branch = step.data.get("branch")
    if isinstance(branch, dict) and branch.get("else") is not None:
        return False
    if step.choices and not step.data.get("ask") and step.data.get("choices_from") is None:
        return any(c.go is None for c in step.choices)
    return True


def waits(step: RawStep) -> bool:
    kind = named(step.data.get("type"))
    return bool(
        step.data.get("ask") or step.choices or step.data.get("choices_from")
        or (kind is not None and kind.always_waits)
    )


class Validator:
    def __init__(self, docs: Documents, catalogs: Catalogs, actions: set[str]) -> None:
        self.docs = docs
        self.catalogs = catalogs
        self.actions = actions
        self.errors: list[ContentError] = list(docs.errors)
        self.targets = Targets(docs.flows)

    def error(self, path: str, line: int, message: str, fix: str = "", code: str = "",
              args: tuple[str, ...] = ()) -> None:
        self.errors.append(ContentError(path, line, message, fix, code, args))

    def run(self) -> list[ContentError]:
        self.check_system()
        self.check_flows()
        self.check_vocabularies()
        self.check_reachability()
        self.check_phrases()
        self.check_translations()
        self.check_training_data()
        return sorted(set(self.errors), key=lambda e: (e.path, e.line, e.message))

    def check_training_data(self) -> None:
        commands = self.docs.system.commands if self.docs.system else {}
        steps = {flow.id: [step.id for step in flow.steps] for flow in self.docs.flows}
        self.errors += check_examples(self.docs.nlu, intent_names(steps, commands))

    def check_vocabularies(self) -> None:
        from bot.nlu.vocabularies import VOCABULARIES

        for flow in self.docs.flows:
            name = flow.trigger_vocabulary
            if name is not None and name not in VOCABULARIES:
                self.error(flow.path, flow.vocabulary_line, f"unknown trigger_vocabulary '{name}'",
                           f"use one of: {', '.join(sorted(VOCABULARIES))}, or remove the line")

    # -- system --------------------------------------------------------------------------------

    def check_system(self) -> None:
        system = self.docs.system
        if system is None:
            self.error("dialogs/", 0, "no system file (messages, commands) was found",
                       "add dialogs/system.yaml starting with 'system:'")
            return
        for key in REQUIRED_MESSAGES:
            if key not in system.messages:
                self.error(system.path, 0, f"system message '{key}' is missing",
                           f"add '{key}: <Spanish text>' under 'messages:'")
        for group, names in (("commands", REQUIRED_COMMANDS), ("answers", REQUIRED_ANSWERS)):
            table = getattr(system, group)
            for name in names:
                missing = [lang for lang in LANGUAGES if not table.get(name, {}).get(lang)]
                if missing:
                    self.error(system.path, 0, f"{group} '{name}' has no words for {', '.join(missing)}",
                               f"add them under {group}: {name}:")
        flows = {f.id: f for f in self.docs.flows}
        for key, flow_id in (("menu_flow", system.menu_flow), ("language_flow", system.language_flow)):
            if flow_id not in flows:
                self.error(system.path, 0, f"{key} '{flow_id}' is not a flow",
                           f"create dialogs/{flow_id}.yaml or point {key} at an existing flow")
        language = flows.get(system.language_flow)
        if language:
            start = self.targets.start_of(language)
            first = next((s for s in language.steps if s.id == start), None)
            if first is None or first.data.get("type") != "language":
                self.error(language.path, language.line, "the language flow must start with a "
                           "step of 'type: language'", "add 'type: language' to its first step")

    # -- flows and steps -----------------------------------------------------------------------

    def check_flows(self) -> None:
        seen: dict[str, RawFlow] = {}
        for flow in self.docs.flows:
            if flow.id in seen:
                first = seen[flow.id]
                self.error(flow.path, flow.line, f"flow '{flow.id}' is defined twice",
                           f"the first is in {first.path}:{first.line}; rename one")
                continue
            seen[flow.id] = flow
            ids: dict[str, int] = {}
            for step in flow.steps:
                if step.id in ids:
                    self.error(flow.path, step.line, f"step '{step.id}' appears twice in flow '{flow.id}'",
                               f"the first is on line {ids[step.id]}; rename one")
                ids[step.id] = step.line
                self.check_step(flow, step)
            if flow.start is not None and flow.start not in ids:
                self.error(flow.path, flow.start_line, f"start step '{flow.start}' does not exist",
                           "name one of the flow's steps")

    def check_step(self, flow: RawFlow, step: RawStep) -> None:
        data, where = step.data, f"step '{step.id}'"
        for key in ("action", "validate"):
            name = data.get(key)
            if name is not None and str(name) not in self.actions:
                close = difflib.get_close_matches(str(name), sorted(self.actions), n=1)
                self.error(flow.path, step.line_of(key), f"{where}: unknown action '{name}'",
                           f"did you mean '{close[0]}'?" if close else
                           "add the action to actions/ or use a registered one")
        kind = named(data.get("type"))
        slot = data.get("ask")
        if slot is not None and not isinstance(slot, str):
            self.error(flow.path, step.line_of("ask"), f"{where}: 'ask' names the slot to fill",
                       "write e.g. 'ask: full_name'")
        if kind is not None:
            self.check_type(flow, step, kind)
        if data.get("validate") and not slot:
            self.error(flow.path, step.line_of("validate"), f"{where}: 'validate' needs 'ask: <slot>'")
        if waits(step) and step.say is None:
            self.error(flow.path, step.line, f"{where} waits for an answer but says nothing",
                       "add 'say:' with the question")
        if not waits(step) and step.say is None and not data.get("action") and "next" not in data \
                and "branch" not in data and "set" not in data:
            self.error(flow.path, step.line, f"{where} does nothing",
                       "give it 'say', 'ask', 'choices', 'action', 'branch' or 'next'")
        for key in ("min", "max"):
            if key in data and not isinstance(data[key], (int, float)):
                self.error(flow.path, step.line_of(key), f"{where}: '{key}' must be a number")
        if "max_length" in data and not (isinstance(data["max_length"], int) and data["max_length"] > 0):
            self.error(flow.path, step.line_of("max_length"), f"{where}: 'max_length' must be a whole number above 0")
        sets = data.get("set")
        if sets is not None and not (
            isinstance(sets, dict) and sets
            and all(ID.match(str(k)) and isinstance(v, (str, int, float, bool)) for k, v in sets.items())
        ):
            self.error(flow.path, step.line_of("set"), f"{where}: 'set' gives slots plain values",
                       "write e.g. 'set: {support_kind: shelter}'")
        self.check_choices(flow, step)
        self.check_branch(flow, step)
        for target, line, what in step_targets(step):
            if self.targets.resolve(flow.id, target) is None:
                self.error(flow.path, line, f"{where}: {what} jumps to '{target}', which does not exist",
                           self.targets.suggestions(flow.id, target), "target",
                           (flow.id, step.id, what, target))

    def check_type(self, flow: RawFlow, step: RawStep, kind: StepType) -> None:
        """What the step's type needs besides itself (bot/engine/steps/<type>.py says)."""
        data, where, line, name = step.data, f"step '{step.id}'", step.line_of("type"), kind.name
        if kind.needs_slot and not data.get("ask"):
            self.error(flow.path, line, f"{where}: 'type: {name}' needs 'ask: <slot>'",
                       "add the slot name that keeps the answer")
        if kind.needs_choices and not (step.choices or data.get("choices_from")):
            self.error(flow.path, line, f"{where}: 'type: {name}' has no choices",
                       "add 'choices:' or 'choices_from:'")
        if kind.needs_validate and not data.get("validate"):
            self.error(flow.path, line, f"{where}: 'type: {name}' needs 'validate'",
                       "name the validation action, e.g. 'validate: validate_registration_form'")

    def check_choices(self, flow: RawFlow, step: RawStep) -> None:
        seen: dict[str, int] = {}
        for choice in step.choices:
            if choice.id in seen:
                self.error(flow.path, choice.line, f"step '{step.id}': choice id '{choice.id}' is used twice",
                           f"the first is on line {seen[choice.id]}; give each choice its own id")
            seen[choice.id] = choice.line
            payload = f"{flow.id}.{step.id}.{choice.id}"
            if len(payload.encode()) > MAX_PAYLOAD_BYTES:
                self.error(flow.path, choice.line,
                           f"button id '{payload}' is {len(payload.encode())} bytes; Telegram allows 64",
                           "shorten the flow, step or choice id")

    def check_branch(self, flow: RawFlow, step: RawStep) -> None:
        branch = step.data.get("branch")
        if branch is None:
            return
        if not isinstance(branch, dict) or not isinstance(branch.get("slot"), str) or not isinstance(
            branch.get("cases"), dict
        ):
            self.error(flow.path, step.line_of("branch"), f"step '{step.id}': a branch needs 'slot' and 'cases'",
                       "write branch: {slot: name, cases: {value: step}, else: step}")

    # -- whole-graph checks --------------------------------------------------------------------

    def edges(self, flow: RawFlow, index: int) -> list[str]:
        step = flow.steps[index]
        found = [self.targets.resolve(flow.id, t) for t, _, _ in step_targets(step)]
        if falls_through(step):
            found.append(f"{flow.id}.{flow.steps[index + 1].id}" if index + 1 < len(flow.steps) else MENU)
        return [t for t in found if t]

    def check_reachability(self) -> None:
        system = self.docs.system
        graph: dict[str, list[str]] = {}
        entry: list[str] = []
        for flow in self.targets.flows.values():
            for i, step in enumerate(flow.steps):
                graph[f"{flow.id}.{step.id}"] = self.edges(flow, i)
                if step.triggers:
                    entry.append(f"{flow.id}.{step.id}")
            start = self.targets.start_of(flow)
            if start and (flow.triggers or (system and flow.id in (system.menu_flow, system.language_flow))):
                entry.append(f"{flow.id}.{start}")
        if system:
            entry += [f"{system.menu_flow}.welcome"]
        seen: set[str] = set()
        stack = [e for e in entry if e in graph]
        while stack:
            ref = stack.pop()
            if ref in seen:
                continue
            seen.add(ref)
            stack.extend(t for t in graph.get(ref, []) if t in graph)
        for flow in self.targets.flows.values():
            for step in flow.steps:
                if f"{flow.id}.{step.id}" not in seen:
                    self.error(flow.path, step.line, f"step '{step.id}' of flow '{flow.id}' can never be reached",
                               "jump to it from another step, add triggers, or delete it")
        self.check_loops(graph)

    def check_loops(self, graph: dict[str, list[str]]) -> None:
        """A cycle of steps that never wait would spin forever."""
        waiting = {
            f"{f.id}.{s.id}" for f in self.targets.flows.values() for s in f.steps if waits(s)
        }
        color: dict[str, int] = {}
        reported: set[frozenset[str]] = set()

        def visit(ref: str, path: list[str]) -> None:
            color[ref] = 1
            path.append(ref)
            for nxt in graph.get(ref, []):
                if nxt not in graph or nxt in waiting:
                    continue
                if color.get(nxt) == 1:
                    cycle = path[path.index(nxt):]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        flow_id, _, step_id = cycle[0].partition(".")
                        flow = self.targets.flows[flow_id]
                        line = next(s.line for s in flow.steps if s.id == step_id)
                        self.error(flow.path, line, "these steps loop without asking anything: "
                                   + " -> ".join(cycle + [nxt]), "make one of them wait for an answer")
                elif color.get(nxt) is None:
                    visit(nxt, path)
            path.pop()
            color[ref] = 2

        for ref in graph:
            if ref not in waiting and color.get(ref) is None:
                visit(ref, [])

    def check_phrases(self) -> None:
        """The same words must not lead to two places in one language."""
        system = self.docs.system
        if system:
            self._unique_words(
                system.path,
                ((name, words) for name, words in system.commands.items()),
                "command",
            )
        # Commands are read before topics: a trigger holding a command word never reaches its topic.
        # A PhraseSet, as the engine reads them: its word index scores only the commands that
        # share a word with the trigger (the same answer as scoring all ~100 for each of ~1,000).
        commands = PhraseSet(
            p for name, table in (system.commands.items() if system else ())
            for words in table.values() for p in phrases(name, words)
        )
        by_lang: dict[str, dict[str, tuple[str, str, int]]] = {}
        for flow in self.docs.flows:
            sources = [(f"{flow.id}", flow.triggers, flow.path, flow.line)]
            sources += [(f"{flow.id}.{s.id}", s.triggers, flow.path, s.line) for s in flow.steps]
            for target, table, path, line in sources:
                for lang, words in table.items():
                    for word in words:
                        key = normalize(word)
                        if not key:
                            continue
                        command = match_whole(word, commands, partial=False)
                        if command:
                            self.error(path, line, f"trigger '{word}' ({lang}) is read as the command "
                                       f"'{command}' first", "use words without the command word")
                        other = by_lang.setdefault(lang, {}).get(key)
                        if other and other[0] != target:
                            self.error(path, line, f"trigger '{word}' ({lang}) already leads to '{other[0]}'",
                                       f"see {other[1]}:{other[2]}; keep the words in one place")
                        by_lang[lang][key] = (target, path, line)

    def _unique_words(self, path: str, groups: Iterable[tuple[str, dict[str, list[str]]]], what: str) -> None:
        seen: dict[tuple[str, str], str] = {}
        for name, table in groups:
            for lang, words in table.items():
                for word in words:
                    key = (lang, normalize(word))
                    if key in seen and seen[key] != name:
                        self.error(path, 0, f"{what} word '{word}' ({lang}) is used for '{seen[key]}' and '{name}'",
                                   "keep each word for one command")
                    seen[key] = name

    def check_translations(self) -> None:
        for item in self.docs.texts():
            expected = placeholders(item.source)
            for lang, table in self.catalogs.entries.items():
                entry = table.get(item.ctx)
                if entry is None or not entry.msgstr or entry.msgid != item.source:
                    continue
                found = placeholders(entry.msgstr)
                if found != expected:
                    self.error(po_path(lang), entry.line, _placeholder_message(item, lang, expected, found),
                               "copy the {names} exactly as the Spanish text has them", "placeholders",
                               (item.ctx, lang, ", ".join(sorted(expected - found)), ", ".join(sorted(found - expected))))


def _placeholder_message(item: TextItem, lang: str, expected: frozenset[str], found: frozenset[str]) -> str:
    missing = ", ".join(sorted(expected - found)) or "none"
    extra = ", ".join(sorted(found - expected)) or "none"
    return f"'{item.ctx}' ({lang}) has placeholders that differ from Spanish: missing {missing}; extra {extra}"


def validate(docs: Documents, catalogs: Catalogs, actions: set[str]) -> list[ContentError]:
    return Validator(docs, catalogs, actions).run()
