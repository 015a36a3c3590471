"""Data files of the content pack: records staff edit (a directory of organizations...), checked
against the field list the file itself declares, and handed to actions through CompiledContent.

    data: support_places          # the name actions use
    fields:                        # what each record may have, and of which kind
      name: text                   # shown as written (a proper name)
      offers: translated           # shown in the reader's language (the .po files)
      kinds: [shelter, legal]      # one or more of these words
      states: states               # `all`, or Mexican states by name ("Chiapas", "CDMX")
      web: url
      reviewed: date
    required: [name, offers]
    items:
      - id: profedet
        name: PROFEDET
        ...
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.content.texts import TextItem
from bot.content.yamlsource import Map, Seq

DATA_KEYS = {"data", "description", "fields", "required", "items"}
FIELD_KINDS = ("text", "translated", "url", "email", "date", "states")
ALL_STATES = "all"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_URL = re.compile(r"^(https?://)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[a-z0-9-]+(\.[a-z0-9-]+)+$", re.IGNORECASE)

# (line, message, fix): how this module reports a mistake to the document reader.
Report = Callable[[int, str, str], None]


@dataclass
class RawRecord:
    id: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class RawData:
    name: str
    path: str
    line: int
    records: list[RawRecord] = field(default_factory=list)

    def texts(self) -> list[TextItem]:
        return [v for r in self.records for v in r.values.values() if isinstance(v, TextItem)]


def read_data(data: Map, path: str, report: Report) -> RawData | None:
    """The records of a `data:` file, every value checked against its declared kind."""
    name = str(data.get("data"))
    if not _ID.match(name):
        report(data.line_of("data"), f"data name '{name}' is not allowed",
               "use lowercase letters, digits and _ (e.g. 'support_places')")
        return None
    for key in data:
        if key not in DATA_KEYS:
            report(data.line_of(key), f"unknown key '{key}' in a data file",
                   f"allowed: {', '.join(sorted(DATA_KEYS))}")
    kinds = _fields(data, report)
    required = data.get("required") or []
    if not isinstance(required, list) or any(str(r) not in kinds for r in required):
        report(data.line_of("required"), "'required' must list names from 'fields'",
               f"fields are: {', '.join(kinds)}")
        required = []
    items = data.get("items")
    if not isinstance(items, Seq):
        report(data.line_of("items") if "items" in data else data.line,
               f"data '{name}' has no 'items' list", "add 'items:' with '- id: ...' records")
        return None
    result = RawData(name, path, data.line_of("data"))
    seen: dict[str, int] = {}
    for index, raw in enumerate(items):
        line = items.line_of(index)
        if not isinstance(raw, Map) or not _ID.match(str(raw.get("id", ""))):
            report(line, "each item needs '- id: name' (lowercase letters, digits and _)", "")
            continue
        record = RawRecord(str(raw["id"]), raw.line)
        if record.id in seen:
            report(raw.line, f"item id '{record.id}' is used twice",
                   f"the first is on line {seen[record.id]}; give each item its own id")
            continue
        seen[record.id] = raw.line
        for key, value in raw.items():
            if key == "id":
                continue
            if key not in kinds:
                report(raw.line_of(key), f"item '{record.id}': unknown field '{key}'",
                       f"fields are: {', '.join(kinds)} (declare new ones under 'fields:')")
                continue
            # A translated field is a text of the .po files, msgctxt data.<file>.<item>.<field>.
            checked = _value(kinds[key], value, report, raw.line_of(key), f"item '{record.id}': '{key}'")
            if isinstance(checked, str) and kinds[key] == "translated":
                checked = TextItem(f"data.{name}.{record.id}.{key}", checked, path, raw.line_of(key))
            if checked is not None:
                record.values[key] = checked
        for key in required:
            if str(key) not in raw:
                report(raw.line, f"item '{record.id}' has no '{key}'", f"add '{key}:' to it")
        result.records.append(record)
    return result


def _fields(data: Map, report: Report) -> dict[str, str | tuple[str, ...]]:
    declared = data.get("fields")
    if not isinstance(declared, Map) or not declared:
        report(data.line_of("fields") if "fields" in data else data.line,
               "a data file needs 'fields:' naming what each item may have",
               f"e.g. 'name: text'; kinds: {', '.join(FIELD_KINDS)} or a list of words")
        return {}
    kinds: dict[str, str | tuple[str, ...]] = {}
    for key, kind in declared.items():
        if isinstance(kind, list) and kind and all(isinstance(w, str) and _ID.match(w) for w in kind):
            kinds[key] = tuple(kind)
        elif kind in FIELD_KINDS:
            kinds[key] = str(kind)
        else:
            report(declared.line_of(key), f"field '{key}' has an unknown kind '{kind}'",
                   f"use one of: {', '.join(FIELD_KINDS)}, or a list of allowed words")
    return kinds


def _value(kind: str | tuple[str, ...], value: Any, report: Report, line: int, what: str) -> Any:
    """The checked value (a date as ISO text, states as INEGI codes), or None after a report."""
    if isinstance(kind, tuple):
        words = value if isinstance(value, list) else [value]
        wrong = [str(w) for w in words if w not in kind]
        if wrong or not words:
            report(line, f"{what}: {', '.join(wrong) or 'nothing'} is not allowed",
                   f"use one or more of: {', '.join(kind)}")
            return None
        return tuple(words)
    if kind == "date":
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            report(line, f"{what}: '{value}' is not a date", "write it as year-month-day, e.g. 2026-11-25")
            return None
    if kind == "states":
        return _states(value, report, line, what)
    if not isinstance(value, (str, int, float)) or not str(value).strip():
        report(line, f"{what} must be a text", "write it after the colon")
        return None
    text = str(value).strip()
    if kind == "url" and not _URL.match(text):
        report(line, f"{what}: '{text}' is not a web address", "write it like gob.mx/profedet")
        return None
    if kind == "email" and not _EMAIL.match(text):
        report(line, f"{what}: '{text}' is not an e-mail address", "write it like name@example.org")
        return None
    return text


def _states(value: Any, report: Report, line: int, what: str) -> tuple[str, ...] | None:
    from bot.nlu.places import Places

    if value == ALL_STATES:
        return (ALL_STATES,)
    places = Places.load()
    names = value if isinstance(value, list) else [value]
    codes = []
    for name in names:
        state = places.by_name(str(name))
        if state is None:
            report(line, f"{what}: '{name}' is not a Mexican state",
                   "write the state's name (e.g. Chiapas, Ciudad de México), or 'all' for every state")
            return None
        codes.append(state.code)
    return tuple(dict.fromkeys(codes))
