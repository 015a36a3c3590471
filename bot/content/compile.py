"""Building the engine's CompiledContent from validated documents and catalogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.content.catalog import Catalogs
from bot.content.data import RawData
from bot.content.document import Documents, RawFlow, RawStep
from bot.content.nlu_data import compile_examples, known_words
from bot.content.texts import TextItem
from bot.content.targets import Targets
from bot.engine.model import (
    ANY_LANGUAGE,
    Branch,
    ChoiceSpec,
    CompiledContent,
    DataSet,
    Flow,
    LocalText,
    Step,
)
from bot.i18n import language_name
from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.nlu.matcher import Phrase, PhraseSet, phrases
from bot.nlu.normalize import accented_words


def local(item: TextItem | None, catalogs: Catalogs) -> LocalText | None:
    if item is None:
        return None
    translations = {}
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        found = catalogs.translation(lang, item.ctx, item.source)
        if found:
            translations[lang] = found
    return LocalText(item.ctx, item.source, translations)


def compile_content(docs: Documents, catalogs: Catalogs, revision: str) -> CompiledContent:
    assert docs.system is not None
    targets = Targets(docs.flows)
    flows = {flow.id: _flow(flow, targets, catalogs) for flow in docs.flows}
    choice_phrases: dict[tuple[str, str], tuple[Phrase, ...]] = {}
    for flow in flows.values():
        for step in flow.steps.values():
            for lang in LANGUAGES:
                found: list[Phrase] = []
                for choice in step.choices:
                    label, _ = choice.label.get(lang)
                    found += phrases(choice.id, [label], 2)
                    found += phrases(choice.id, choice.keywords.get(lang, ()), 1)
                if found:
                    choice_phrases[(step.ref, lang)] = PhraseSet(found)
    system = docs.system
    nlu_examples = compile_examples(docs.nlu)
    known = known_words(nlu_examples)
    responses = {k: local(v, catalogs) for k, v in docs.responses.items()}
    data = {name: _data_set(raw, catalogs) for name, raw in docs.data.items()}
    # An action utters a translated field of a data record by its msgctxt, like a response.
    responses.update({t.ctx: local(t, catalogs) for raw in docs.data.values() for t in raw.texts()})
    return CompiledContent(
        flows=flows,
        messages={k: local(v, catalogs) for k, v in system.messages.items()},  # type: ignore[misc]
        responses=responses,  # type: ignore[arg-type]
        values=dict(docs.values),
        commands=_by_language(system.commands.items()),
        triggers=_triggers(docs.flows, targets, known),
        greetings={lang: PhraseSet(phrases(lang, words)) for lang, words in system.greetings.items()},
        answers=_by_language(system.answers.items()),
        choice_phrases=choice_phrases,
        language_names={code: language_name(code) for code in LANGUAGES},
        language_phrases=_language_phrases(),
        menu_flow=system.menu_flow,
        language_flow=system.language_flow,
        revision=revision,
        data=data,
        trigger_accents=_trigger_accents(docs.flows),
        vocabulary_triggers=_vocabulary_triggers(docs.flows, targets, known),
        vocabulary_flows=frozenset(f.id for f in docs.flows if f.trigger_vocabulary),
        nlu_examples=nlu_examples,
    )


def _data_set(raw: RawData, catalogs: Catalogs) -> DataSet:
    items = []
    for record in raw.records:
        values: dict[str, object] = {"id": record.id}
        for key, value in record.values.items():
            values[key] = local(value, catalogs) if isinstance(value, TextItem) else value
        items.append(values)
    return DataSet(raw.name, tuple(items))


def _trigger_accents(flows: list[RawFlow]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for flow in flows:
        for table in [flow.triggers] + [s.triggers for s in flow.steps]:
            for lang, words in table.items():
                for word in words:
                    found.setdefault(lang, set()).update(accented_words(word))
    return {lang: frozenset(words) for lang, words in found.items()}


def _flow(flow: RawFlow, targets: Targets, catalogs: Catalogs) -> Flow:
    steps = {}
    for raw in flow.steps:
        steps[raw.id] = _step(flow, raw, targets, catalogs)
    return Flow(
        id=flow.id,
        steps=steps,
        start=targets.start_of(flow) or flow.steps[0].id,
        file=flow.path,
        title=local(flow.title, catalogs),
    )


def _step(flow: RawFlow, raw: RawStep, targets: Targets, catalogs: Catalogs) -> Step:
    data = raw.data

    def target(value: object) -> str | None:
        return targets.resolve(flow.id, str(value)) if value is not None else None

    branch = None
    if isinstance(data.get("branch"), dict):
        spec = data["branch"]
        branch = Branch(
            slot=str(spec["slot"]),
            cases={str(k).lower() if isinstance(k, bool) else str(k): target(v) or "" for k, v in spec["cases"].items()},
            otherwise=target(spec.get("else")),
        )
    kind = data.get("type") or ("choice" if raw.choices or data.get("choices_from") else "text")
    if data.get("validate") and kind == "text" and not data.get("type"):
        kind = "action"
    return Step(
        flow=flow.id,
        id=raw.id,
        say=local(raw.say, catalogs),
        action=data.get("action"),
        slot=data.get("ask"),
        type=str(kind),
        validate=data.get("validate"),
        choices=tuple(
            ChoiceSpec(
                id=c.id,
                label=local(c.label, catalogs),  # type: ignore[arg-type]
                go=target(c.go),
                value=c.value,
                keywords={k: tuple(v) for k, v in c.keywords.items()},
            )
            for c in raw.choices
        ),
        choices_from=data.get("choices_from"),
        branch=branch,
        next=target(data.get("next")),
        hint=local(raw.hint, catalogs),
        minimum=data.get("min"),
        maximum=data.get("max"),
        max_length=int(data.get("max_length", 300)),
        track=bool(data.get("track", False)),
        source=local(raw.source, catalogs),
        reviewed=_iso_date(data.get("reviewed")),
        sets=dict(data.get("set") or {}),
        line=raw.line,
    )


def _iso_date(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)).isoformat()


def _by_language(groups: Iterable[tuple[str, dict[str, list[str]]]]) -> dict[str, tuple[Phrase, ...]]:
    """Phrases per language, and all languages together under ANY_LANGUAGE."""
    table: dict[str, list[Phrase]] = {}
    for name, by_lang in groups:
        for lang, words in by_lang.items():
            table.setdefault(lang, []).extend(phrases(name, words))
    every = [p for found in table.values() for p in found]
    return {**{lang: PhraseSet(found) for lang, found in table.items()}, ANY_LANGUAGE: PhraseSet(every)}


def _triggers(flows: list[RawFlow], targets: Targets, known: frozenset[str]) -> dict[str, tuple[Phrase, ...]]:
    table: dict[str, list[Phrase]] = {}
    for flow in flows:
        start = targets.start_of(flow)
        sources = [(f"{flow.id}.{start}", flow.triggers)]
        sources += [(f"{flow.id}.{s.id}", s.triggers) for s in flow.steps]
        for ref, by_lang in sources:
            for lang, words in by_lang.items():
                table.setdefault(lang, []).extend(phrases(ref, words))
    return {lang: PhraseSet(found, known) for lang, found in table.items()}


def _vocabulary_triggers(
    flows: list[RawFlow], targets: Targets, known: frozenset[str]
) -> dict[str, tuple[Phrase, ...]]:
    from bot.nlu.vocabularies import VOCABULARIES

    table: dict[str, list[Phrase]] = {}
    for flow in flows:
        if flow.trigger_vocabulary not in VOCABULARIES:
            continue
        ref = f"{flow.id}.{targets.start_of(flow)}"
        for lang, found in VOCABULARIES[flow.trigger_vocabulary]().items():
            table.setdefault(lang, []).extend(Phrase(ref, p.words, p.weight) for p in found)
    return {lang: PhraseSet(found, known) for lang, found in table.items()}


def _language_phrases() -> tuple[Phrase, ...]:
    """Every shipped language by its code and its name in each shipped language."""
    from babel import Locale

    found: list[Phrase] = []
    extra = {"ht": ["kreyol", "creole", "kreyol ayisyen", "haitian", "ayisyen", "criollo"],
             "es": ["espanol", "spanish", "castellano", "espanyol", "panyol"],
             "pt": ["portugues", "portuguese", "brasileiro"], "fr": ["francais", "french", "franse"],
             "en": ["ingles", "english", "angle"]}
    for code in LANGUAGES:
        names = {code, language_name(code)} | set(extra.get(code, ()))
        for other in LANGUAGES:
            name = Locale.parse(other).languages.get(code)
            if name:
                names.add(name)
        found += phrases(code, sorted(names), 2)
    return PhraseSet(found)
