"""Named values of a flow's `values:` (the minimum wage), each a number or a date, written
plainly (`minimum_wage_general: 315.04`) or with where it comes from and when staff last checked
it (`{value: 315.04, source: ..., reviewed: 2026-12-05}`; shown in the admin, never to users)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.content.yamlsource import Map

VALUE_KEYS = {"value", "source", "reviewed"}

# (line, message, fix): how this module reports a mistake to the document reader.
Report = Callable[[int, str, str], None]


@dataclass
class RawValue:
    name: str
    flow: str
    path: str
    line: int
    value: Any
    source: str = ""
    reviewed: str = ""


def read_values(data: Map, path: str, flow_id: str, notes: dict[str, RawValue], report: Report) -> None:
    """The flow's values into `notes` (name -> RawValue), each mistake reported with its line."""
    values = data.get("values")
    if values is None:
        return
    if not isinstance(values, Map):
        report(data.line_of("values"), "'values' must map names to numbers or dates", "")
        return
    for name, value in values.items():
        if str(name) in notes:
            report(values.line_of(name), f"value '{name}' is defined twice", "")
        note = RawValue(str(name), flow_id, path, values.line_of(name), value)
        if isinstance(value, Map):
            for key in value:
                if key not in VALUE_KEYS:
                    report(value.line_of(key), f"value '{name}': unknown key '{key}'",
                           f"allowed: {', '.join(sorted(VALUE_KEYS))}")
            if not isinstance(value.get("value"), (int, float, str, dt.date)):
                report(value.line, f"value '{name}' has no 'value'", "write e.g. 'value: 315.04'")
                continue
            reviewed = value.get("reviewed")
            if reviewed is not None:
                try:
                    dt.date.fromisoformat(reviewed.isoformat() if isinstance(reviewed, dt.date) else str(reviewed))
                except ValueError:
                    report(value.line_of("reviewed"), f"value '{name}': 'reviewed' must be a date, not '{reviewed}'",
                           "write it as year-month-day, e.g. 2026-11-25")
            note.value = value["value"]
            note.source = str(value.get("source") or "")
            note.reviewed = str(reviewed or "")
        notes[str(name)] = note
