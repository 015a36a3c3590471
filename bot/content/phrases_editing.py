"""The words that lead to a topic, edited per language as staff do in the admin: a step's or a
flow's trigger words (`triggers:` in its YAML), and the intent classifier's example sentences
(dialogs/nlu/<lang>.yaml, Rasa's format). Each function returns a new ContentSource."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.content import yamledit
from bot.content.document import read_documents
from bot.content.nlu_data import MAX_EXAMPLE_CHARS
from bot.content.nlu_editing import EXAMPLE_INDENT, nlu_file
from bot.content.source import ContentSource
from bot.content.yamledit import EditRefused
from bot.languages import LANGUAGES
from bot.nlu.normalize import clean_text, normalize

MAX_WORDS = 60
MAX_WORD_CHARS = 80


def lines_of(raw: str) -> list[str]:
    """One entry per line of a text box (empty lines and repeats dropped, order kept)."""
    found: dict[str, str] = {}
    for line in raw.replace("\r", "\n").split("\n"):
        text = " ".join(line.split())
        if text and normalize(text) not in found:
            found[normalize(text)] = text
    return list(found.values())


def set_triggers(source: ContentSource, flow_id: str, step_id: str, lang: str, words: list[str]) -> ContentSource:
    """The trigger words of a step (or of the flow itself, with step_id "") in one language."""
    if lang not in LANGUAGES:
        raise EditRefused("'%(lang)s' is not a shipped language", lang=lang)
    if len(words) > MAX_WORDS:
        raise EditRefused("at most %(max_words)s trigger words per language", max_words=MAX_WORDS)
    for word in words:
        if len(word) > MAX_WORD_CHARS or not normalize(word):
            raise EditRefused("'%(word)s' is not a trigger: a few words, at most %(max_word_chars)s characters", word=word[:40], max_word_chars=MAX_WORD_CHARS)
        if any(mark in word for mark in ",[]{}#"):
            raise EditRefused("'%(word)s': write one trigger per line, without , [ ] { } or #", word=word[:40])
    path = next((f.path for f in read_documents(source.dialogs()).flows if f.id == flow_id), None)
    if path is None:
        raise EditRefused("there is no flow '%(flow_id)s'", flow_id=flow_id)

    def change(data: Any) -> None:
        owner = yamledit.find_step(data, step_id) if step_id else data
        table = owner.get("triggers")
        if not isinstance(table, CommentedMap):
            table = CommentedMap()
        if words:
            seq = CommentedSeq(words)
            seq.fa.set_flow_style()
            table[lang] = seq
        else:
            table.pop(lang, None)
        if table:
            if "triggers" not in owner:
                # Beside the texts it leads to: before `say` when the step has one.
                at = list(owner.keys()).index("say") if "say" in owner else len(owner)
                owner.insert(at, "triggers", table)
            else:
                owner["triggers"] = table
        else:
            owner.pop("triggers", None)

    data = yamledit.load(source.files[path])
    change(data)
    return ContentSource({**source.files, path: yamledit.dump(data)})


def triggers_of(source: ContentSource, flow_id: str, step_id: str) -> dict[str, list[str]]:
    """language -> the trigger words of a step (or of the flow, with step_id "")."""
    for flow in read_documents(source.dialogs()).flows:
        if flow.id == flow_id:
            if not step_id:
                return flow.triggers
            return next((s.triggers for s in flow.steps if s.id == step_id), {})
    return {}


def examples_of(source: ContentSource, intent: str) -> dict[str, list[str]]:
    """language -> the example sentences of `intent`, in file order."""
    found: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for nlu in read_documents(source.dialogs()).nlu:
        for entry in nlu.intents:
            if entry.name == intent:
                found[nlu.language] += [text for text, _ in entry.examples]
    return found


def set_examples(source: ContentSource, lang: str, intent: str, examples: list[str]) -> ContentSource:
    """The intent's examples in one language become `examples` (the entry goes when empty). The
    file is edited as text: comments and every other intent stay byte for byte."""
    path = nlu_file(source, lang)
    cleaned = []
    for raw in examples:
        text = " ".join(clean_text(raw, MAX_EXAMPLE_CHARS + 1).replace("#", " ").split())
        if not normalize(text):
            continue
        if len(text) > MAX_EXAMPLE_CHARS:
            raise EditRefused("examples are at most %(max_example_chars)s characters: '%(text)s…'", max_example_chars=MAX_EXAMPLE_CHARS, text=text[:40])
        cleaned.append(text)
    lines = source.files.get(path, 'version: "3.1"\nnlu:\n').split("\n")
    head = f"- intent: {intent}"
    at = next((i for i, line in enumerate(lines) if line.strip() == head), None)
    block = [EXAMPLE_INDENT + text for text in cleaned]
    if at is None:
        if not block:
            return source
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"  {head}", "    examples: |", *block, ""]
    else:
        end = at + 2
        while end < len(lines) and lines[end].startswith(EXAMPLE_INDENT):
            end += 1
        if block:
            lines[at + 2:end] = block
        else:
            while end < len(lines) and not lines[end].strip() and end + 1 < len(lines):
                end += 1
            del lines[at:end]
    return ContentSource({**source.files, path: "\n".join(lines)})
