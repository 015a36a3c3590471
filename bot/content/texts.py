"""A translatable text of a content pack: its msgctxt, its Spanish source, where it is written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextItem:
    ctx: str
    source: str
    path: str
    line: int
