"""Named values (the minimum wage) and the records of data files (the organizations and places of
the help flow), edited as staff do in the admin. Each function returns a new ContentSource."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString

from bot.content import yamledit
from bot.content.data import ALL_STATES
from bot.content.document import ID, read_documents
from bot.content.editing import clean_text, merge_catalogs
from bot.content.source import ContentSource
from bot.content.yamledit import EditRefused

MAX_FIELD = 1000


def _date(raw: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise EditRefused("'%(raw)s' is not a date: write it as year-month-day, e.g. 2026-03-31", raw=raw) from None


def _number(raw: str, old: Any) -> Any:
    text = raw.strip().replace(" ", "")
    if isinstance(old, dt.date):
        return _date(text)
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise EditRefused("'%(raw)s' is not a number: write it with a point for decimals, e.g. 315.04", raw=raw) from None
    if not number.is_finite():
        raise EditRefused("'%(raw)s' is not a number", raw=raw)
    return int(number) if number == number.to_integral_value() and isinstance(old, int) else float(number)


def set_value(source: ContentSource, name: str, raw: str, source_text: str, reviewed: str) -> ContentSource:
    """A named value, its source and review date; written as `{value, source, reviewed}`."""
    docs = read_documents(source.dialogs())
    note = docs.value_notes.get(name)
    if note is None:
        raise EditRefused("there is no value '%(name)s'", name=name)
    value = _number(raw, note.value)
    source_text = clean_text(source_text, required=False)
    if "\n" in source_text:
        raise EditRefused("the source must fit on one line")
    day = _date(reviewed)

    def change(data: Any) -> None:
        values = data["values"]
        entry = CommentedMap(value=value)
        if source_text:
            entry["source"] = DoubleQuotedScalarString(source_text)
        if day:
            entry["reviewed"] = day
        values[name] = entry

    data = yamledit.load(source.files[note.path])
    change(data)
    return ContentSource({**source.files, note.path: yamledit.dump(data)})


# -- data files (dialogs/support_places.yaml) ----------------------------------------------------


def _data_file(source: ContentSource, name: str) -> tuple[str, Any]:
    raw = read_documents(source.dialogs()).data.get(name)
    if raw is None:
        raise EditRefused("there is no data file '%(name)s'", name=name)
    return raw.path, yamledit.load(source.files[raw.path])


def field_kinds(data: Any) -> dict[str, Any]:
    """field -> its kind as declared ('text', 'translated', ..., or a tuple of allowed words)."""
    return {str(k): tuple(v) if isinstance(v, list) else str(v) for k, v in (data.get("fields") or {}).items()}


def _item(data: Any, item_id: str) -> CommentedMap:
    for item in data.get("items") or []:
        if isinstance(item, CommentedMap) and str(item.get("id")) == item_id:
            return item
    raise EditRefused("there is no item '%(item_id)s'", item_id=item_id)


def _typed(kind: Any, raw: str | list[str], old: Any) -> Any:
    """A form value as the YAML the data file declares for it; None to remove the field."""
    if isinstance(kind, tuple):
        words = [w for w in raw if w] if isinstance(raw, list) else [raw] if raw else []
        if not words:
            return None
        seq = CommentedSeq(words)
        seq.fa.set_flow_style()
        return seq
    text = clean_text(raw if isinstance(raw, str) else "", required=False)
    if len(text) > MAX_FIELD:
        raise EditRefused("at most %(max_field)s characters in one field", max_field=MAX_FIELD)
    if not text:
        return None
    if kind == "date":
        return _date(text)
    if kind == "states":
        if text.casefold() in (ALL_STATES, "todos", "todo el país", "todo el pais"):
            return ALL_STATES
        seq = CommentedSeq([" ".join(s.split()) for s in text.replace(";", ",").split(",") if s.strip()])
        seq.fa.set_flow_style()
        return seq
    if kind == "translated" and (len(text) > 80 or isinstance(old, FoldedScalarString)):
        return FoldedScalarString(" ".join(text.split()))
    if "\n" in text:
        raise EditRefused("this field must fit on one line")
    return yamledit.styled(old, text)


def set_record(source: ContentSource, name: str, item_id: str, values: dict[str, Any]) -> ContentSource:
    """The item's fields become `values` (field -> text, or a list of words for a list field);
    a field left empty is removed. Fields not in `values` stay as they are."""
    path, data = _data_file(source, name)
    kinds = field_kinds(data)
    item = _item(data, item_id)
    # The blank line after an item belongs to its last key: it must stay after the last one.
    tail = yamledit.pop_tail(item)
    for key, raw in values.items():
        if key not in kinds:
            raise EditRefused("'%(key)s' is not a field of this list", key=key)
        typed = _typed(kinds[key], raw, item.get(key))
        if typed is None:
            item.pop(key, None)
        else:
            item[key] = typed
    yamledit.attach_tail(item, tail)
    return merge_catalogs(ContentSource({**source.files, path: yamledit.dump(data)}))


def add_record(source: ContentSource, name: str, item_id: str, values: dict[str, Any]) -> ContentSource:
    path, data = _data_file(source, name)
    item_id = item_id.strip()
    if not ID.match(item_id) or len(item_id) > 40:
        raise EditRefused("a short name uses lowercase letters, digits and _ (e.g. 'casa_nueva'), at most 40")
    items = data.get("items")
    if any(isinstance(i, CommentedMap) and str(i.get("id")) == item_id for i in items):
        raise EditRefused("there is already an item '%(item_id)s'", item_id=item_id)
    yamledit.insert_item(items, len(items), CommentedMap(id=item_id))
    added = ContentSource({**source.files, path: yamledit.dump(data)})
    return set_record(added, name, item_id, values)


def remove_record(source: ContentSource, name: str, item_id: str) -> ContentSource:
    path, data = _data_file(source, name)
    items = data.get("items")
    items.remove(_item(data, item_id))
    return merge_catalogs(ContentSource({**source.files, path: yamledit.dump(data)}))
