"""Edits of a content pack ({path: text}) as staff make them in the web admin.

Spanish texts are changed in the YAML (ruamel round trip), then the catalogs are merged exactly
as `puente i18n extract` does, so translations of a changed text become fuzzy. Translations are
changed in the .po files through Babel. Every function returns a new ContentSource."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap

from bot.content import yamledit
from bot.content.document import ID, STEP_KEYS, read_documents
from bot.content.extract import render_po, template, updated_catalog
from bot.content.pofile import read_catalog
from bot.content.source import ContentSource, po_path
from bot.content.yamledit import EditRefused
from bot.languages import LANGUAGES, SOURCE_LANGUAGE

__all__ = ["EditRefused"]

# Short step fields staff may edit besides texts. A key shows up only when the validator knows
# it (document.STEP_KEYS), so a `source:` / `reviewed:` added to flows later becomes editable.
STAFF_FIELDS = ("source", "reviewed", "note")
MAX_TEXT = 4000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def editable_fields() -> tuple[str, ...]:
    return tuple(key for key in STAFF_FIELDS if key in STEP_KEYS)


def clean_text(text: str, *, required: bool = True) -> str:
    """Browser line ends to \\n; control characters and over-long texts refused."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if CONTROL.search(text):
        raise EditRefused("the text contains invisible control characters; type it again")
    if len(text) > MAX_TEXT:
        raise EditRefused(f"the text has {len(text)} characters; the most a message can hold is {MAX_TEXT}")
    if required and not text:
        raise EditRefused("the Spanish text cannot be empty")
    return text


def merge_catalogs(source: ContentSource) -> ContentSource:
    """The same merge as `puente i18n extract`: new texts added, changed ones fuzzy, gone ones dropped."""
    pot = template(source)
    files = dict(source.files)
    for lang in LANGUAGES:
        if lang != SOURCE_LANGUAGE:
            files[po_path(lang)] = render_po(updated_catalog(lang, pot, source.po(lang)))
    return ContentSource(files)


def _file_of(source: ContentSource, ctx: str) -> str:
    docs = read_documents(source.dialogs())
    for item in docs.texts():
        if item.ctx == ctx:
            return item.path
    raise EditRefused(f"there is no text '{ctx}' in the content")


def _flow_file(source: ContentSource, flow_id: str) -> str:
    docs = read_documents(source.dialogs())
    for flow in docs.flows:
        if flow.id == flow_id:
            return flow.path
    raise EditRefused(f"there is no flow '{flow_id}'")


def _edit_yaml(source: ContentSource, path: str, change: Any) -> ContentSource:
    data = yamledit.load(source.files[path])
    change(data)
    return ContentSource({**source.files, path: yamledit.dump(data)})


def set_source_text(source: ContentSource, ctx: str, text: str) -> ContentSource:
    text = clean_text(text)
    path = _file_of(source, ctx)

    def change(data: Any) -> None:
        owner, key = yamledit.text_slot(data, ctx)
        owner[key] = yamledit.styled(owner.get(key), text)

    return merge_catalogs(_edit_yaml(source, path, change))


def set_translation(source: ContentSource, lang: str, ctx: str, text: str) -> ContentSource:
    """Write (or clear) a translation; a written one is no longer fuzzy: staff checked it."""
    if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
        raise EditRefused(f"'{lang}' is not a translated language")
    text = clean_text(text, required=False)
    existing = source.po(lang)
    if existing is None:
        source = merge_catalogs(source)
        existing = source.po(lang) or ""
    catalog = read_catalog(existing, lang)
    message = next((m for m in catalog if m.id and m.context == ctx), None)
    if message is None:
        raise EditRefused(f"there is no text '{ctx}' in the {lang} catalog")
    if message.id.endswith("\n") and text:
        text += "\n"
    message.string = text
    message.flags.discard("fuzzy")
    message.previous_id = []
    return ContentSource({**source.files, po_path(lang): render_po(catalog)})


def set_step_field(source: ContentSource, flow_id: str, step_id: str, key: str, raw: str) -> ContentSource:
    if key not in editable_fields():
        raise EditRefused(f"'{key}' cannot be edited here")
    raw = clean_text(raw, required=False)
    if "\n" in raw and key != "note":
        raise EditRefused(f"'{key}' must fit on one line")

    def change(data: Any) -> None:
        step = yamledit.find_step(data, step_id)
        if not raw:
            step.pop(key, None)
        else:
            step[key] = yamledit.scalar(step.get(key), raw)

    return _edit_yaml(source, _flow_file(source, flow_id), change)


def add_choice(source: ContentSource, flow_id: str, step_id: str, choice_id: str, label: str, go: str) -> ContentSource:
    if not ID.match(choice_id) or len(choice_id) > 40:
        raise EditRefused("a button id uses lowercase letters, digits and _ (e.g. 'wages'), at most 40")
    label, go = clean_text(label), clean_text(go, required=False)

    def change(data: Any) -> None:
        step = yamledit.find_step(data, step_id)
        if "choices" not in step:
            raise EditRefused("this step has no buttons; buttons can be added only where there are some")
        choices = yamledit.find_choices(step)
        if any(isinstance(c, CommentedMap) and str(c.get("id")) == choice_id for c in choices):
            raise EditRefused(f"there is already a button '{choice_id}'")
        choice = CommentedMap(id=choice_id, label=yamledit.styled(None, label))
        if go:
            choice["go"] = go
        choices.append(choice)

    return merge_catalogs(_edit_yaml(source, _flow_file(source, flow_id), change))


def remove_choice(source: ContentSource, flow_id: str, step_id: str, choice_id: str) -> ContentSource:
    def change(data: Any) -> None:
        choices = yamledit.find_choices(yamledit.find_step(data, step_id))
        del choices[yamledit.choice_index(choices, choice_id)]

    return merge_catalogs(_edit_yaml(source, _flow_file(source, flow_id), change))


def move_choice(source: ContentSource, flow_id: str, step_id: str, choice_id: str, delta: int) -> ContentSource:
    def change(data: Any) -> None:
        choices = yamledit.find_choices(yamledit.find_step(data, step_id))
        index = yamledit.choice_index(choices, choice_id)
        target = index + delta
        if 0 <= target < len(choices):
            choices.insert(target, choices.pop(index))

    return _edit_yaml(source, _flow_file(source, flow_id), change)


def set_choice_go(source: ContentSource, flow_id: str, step_id: str, choice_id: str, go: str) -> ContentSource:
    go = clean_text(go, required=False)
    if "\n" in go:
        raise EditRefused("where a button goes must fit on one line")

    def change(data: Any) -> None:
        choices = yamledit.find_choices(yamledit.find_step(data, step_id))
        choice = choices[yamledit.choice_index(choices, choice_id)]
        if go:
            choice["go"] = yamledit.styled(choice.get("go"), go)
        else:
            choice.pop("go", None)

    return _edit_yaml(source, _flow_file(source, flow_id), change)
