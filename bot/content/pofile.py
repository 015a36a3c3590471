"""Reading and writing .po files the way gettext's own tools do, over Babel.

Babel 2.18 gets the previous-source comments (`#| msgid`, what a fuzzy translation was written
for) wrong both ways: its writer wraps a multi-line previous text as prose, cutting quoted
strings across comment lines (msgfmt: "end-of-line within string"), and its reader keeps those
lines as translator comments ("| msgid ..."), which the next write turns into `# | msgid`
comments that pile up. Here the reader turns them back into `previous_id` and the writer
writes them as msgmerge does: one quoted string per line, only on fuzzy entries."""

from __future__ import annotations

import io
import re

from babel.messages.catalog import Catalog
from babel.messages.pofile import normalize, read_po, unescape, write_po

WIDTH = 100
# How Babel's reader keeps a "#| ..." line: as a translator comment starting with "|".
PREVIOUS_MARK = "|"
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
ONLY_QUOTED = re.compile(r'\s*(?:"(?:[^"\\]|\\.)*"\s*)+')


def read_catalog(text: str, lang: str | None = None, *, abort_invalid: bool = False) -> Catalog:
    """A content catalog whose fuzzy entries know their previous Spanish, with no "|" comments
    left, and no python-format flag (Babel guesses one from "25% del"; content uses {name})."""
    catalog = read_po(io.StringIO(text), locale=lang, abort_invalid=abort_invalid)
    for message in catalog:
        message.flags.discard("python-format")
        marks = [c for c in message.user_comments if c.startswith(PREVIOUS_MARK)]
        if not marks:
            continue
        message.user_comments = [c for c in message.user_comments if not c.startswith(PREVIOUS_MARK)]
        previous = previous_text(marks)
        message.previous_id = [previous] if previous and message.fuzzy else []
    return catalog


def previous_text(marks: list[str]) -> str:
    """The text of "| msgid ..." comment lines; "" when they are not quoted strings (files written
    by the old writer are read back when its wrapping cut strings at a space, as it always does)."""
    parts: list[str] = []
    for mark in marks:
        line = mark[len(PREVIOUS_MARK):].strip()
        if line.startswith("msgid_plural") or line.startswith("msgctxt"):
            break
        if line.startswith("msgid "):
            parts = [line[len("msgid "):]]
        elif parts:
            parts.append(line)
    joined = " ".join(parts)
    if not joined or not ONLY_QUOTED.fullmatch(joined):
        return ""
    return "".join(unescape(piece) for piece in QUOTED.findall(joined))


def render_po(catalog: Catalog, width: int = WIDTH) -> str:
    """The catalog as gettext writes it; a fuzzy entry's previous Spanish as `#| msgid` lines."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=width, sort_output=False, omit_header=False, include_previous=False)
    text = buffer.getvalue().decode("utf-8")
    previous = {m.context: m.previous_id[0] for m in catalog
                if m.id and m.context and m.fuzzy and m.previous_id and m.previous_id[0]}
    if not previous:
        return text
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith('msgctxt "') and line.rstrip("\n") != 'msgctxt ""':
            was = previous.get(unescape(line[len("msgctxt "):].rstrip("\n")))
            if was is not None:
                lines.append(f"#| msgid {normalize(was, prefix='#| ', width=width)}\n")
        lines.append(line)
    return "".join(lines)
