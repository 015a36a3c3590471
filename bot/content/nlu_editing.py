"""Adding an example sentence to the training data of a content pack (dialogs/nlu/<lang>.yaml),
as the admin's page of unanswered messages does: a line appended to the intent's `examples: |`
block (a new entry at the end of the file when the intent has none yet). The text is edited as
text: comments, order and every other line stay byte for byte."""

from __future__ import annotations

from bot.content.nlu_data import MAX_EXAMPLE_CHARS, language_of
from bot.content.source import ContentSource
from bot.content.yamledit import EditRefused
from bot.languages import LANGUAGES
from bot.nlu.normalize import clean_text, normalize

EXAMPLE_INDENT = "      - "


def nlu_file(source: ContentSource, lang: str) -> str:
    """The language's training file: dialogs/nlu/<lang>.yaml, created when the pack has none."""
    if lang not in LANGUAGES:
        raise EditRefused("'%(lang)s' is not a shipped language", lang=lang)
    return f"dialogs/nlu/{lang}.yaml"


def add_example(source: ContentSource, lang: str, intent: str, text: str) -> ContentSource:
    example = clean_text(text, MAX_EXAMPLE_CHARS + 1).replace("#", " ").strip()
    example = " ".join(example.split())
    if not normalize(example):
        raise EditRefused("the example has no words")
    if len(example) > MAX_EXAMPLE_CHARS:
        raise EditRefused("examples are at most %(max_example_chars)s characters", max_example_chars=MAX_EXAMPLE_CHARS)
    path = nlu_file(source, lang)
    lines = source.files.get(path, f'version: "3.1"\nnlu:\n').split("\n")
    known = {normalize(line.strip()[2:]) for line in lines if line.startswith(EXAMPLE_INDENT)}
    if normalize(example) in known:
        raise EditRefused("this sentence is already an example in this language")
    head = f"- intent: {intent}"
    at = next((i for i, line in enumerate(lines) if line.strip() == head), None)
    if at is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", f"  {head}", "    examples: |", EXAMPLE_INDENT + example, ""]
    else:
        end = at + 2
        while end < len(lines) and lines[end].startswith(EXAMPLE_INDENT):
            end += 1
        lines.insert(end, EXAMPLE_INDENT + example)
    assert language_of(path) == lang
    return ContentSource({**source.files, path: "\n".join(lines)})
