"""What differs between two content packs, as staff read it: texts per language, and flow files."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.content.overview import Overview, overview
from bot.content.source import ContentSource


@dataclass(frozen=True)
class TextChange:
    ctx: str
    lang: str
    before: str
    after: str
    state: str  # the new translation state: ok, fuzzy, missing, review


def text_changes(before: ContentSource, after: ContentSource) -> list[TextChange]:
    return changes_between(overview(before), overview(after))


def changes_between(old: Overview, new: Overview) -> list[TextChange]:
    """The same, from packs already parsed (the admin keeps them: bot/web/admin/content_cache.py)."""
    found: list[TextChange] = []
    for ctx in list(new.rows) + [c for c in old.rows if c not in new.rows]:
        new_row, old_row = new.rows.get(ctx), old.rows.get(ctx)
        langs = (new_row or old_row).cells  # type: ignore[union-attr]
        for lang in langs:
            was = old_row.cells[lang] if old_row else None
            now = new_row.cells[lang] if new_row else None
            if (was.text if was else "") != (now.text if now else "") or (was and now and was.state != now.state):
                found.append(TextChange(ctx, lang, was.text if was else "", now.text if now else "",
                                        now.state if now else "removed"))
    return found


def flow_diffs(before: ContentSource, after: ContentSource) -> dict[str, str]:
    """Unified diffs of the YAML files (buttons, jumps, notes); catalogs are shown as texts instead."""
    diffs = {}
    for path in sorted(set(before.files) | set(after.files)):
        if not path.startswith("dialogs/"):
            continue
        a, b = before.files.get(path, ""), after.files.get(path, "")
        if a != b:
            diffs[path] = "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), path, path, n=2))
    return diffs
