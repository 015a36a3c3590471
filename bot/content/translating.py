"""Translators' changes to a content pack: many translations at once, the "reviewed by a native
speaker" mark, and a .po file from Poedit or Weblate merged in with a report.

Pure functions over ContentSource, like editing.py; the admin stores the result as the draft.
Reasons are codes (REASONS): the admin says them in its own language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog

from bot.content.catalog import REVIEW_MARK
from bot.content.editing import EditRefused, clean_text, merge_catalogs
from bot.content.extract import render_po
from bot.content.overview import FUZZY, MISSING, Overview
from bot.content.pofile import read_catalog
from bot.content.source import ContentSource, po_path
from bot.engine.model import placeholders
from bot.languages import LANGUAGES, SOURCE_LANGUAGE

# Why an entry of an uploaded file was not taken.
UNKNOWN, OLDER_SOURCE, PLACEHOLDERS, INVALID, MARKED_FUZZY, EMPTY = (
    "unknown", "older_source", "placeholders", "invalid", "marked_fuzzy", "empty")
REASONS = (UNKNOWN, OLDER_SOURCE, PLACEHOLDERS, INVALID, MARKED_FUZZY, EMPTY)
# Why a whole file was refused.
NOT_PO, OTHER_LANGUAGE, NOT_UTF8 = "not_po", "other_language", "not_utf8"


@dataclass(frozen=True)
class Refusal:
    ctx: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Change:
    ctx: str
    before: str
    after: str


@dataclass
class ImportReport:
    """What an uploaded file did to the draft. `problem`: the whole file was refused."""

    language: str
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Refusal] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    problem: str = ""
    detail: str = ""


def _catalog(source: ContentSource, lang: str) -> Catalog:
    if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
        raise EditRefused(f"'{lang}' is not a translated language")
    if source.po(lang) is None:
        source = merge_catalogs(source)
    return read_catalog(source.po(lang) or "", lang)


def _messages(catalog: Catalog) -> dict[str, object]:
    return {m.context: m for m in catalog if m.id and m.context}


def change_translations(
    source: ContentSource, lang: str, texts: Mapping[str, str], reviewed: Iterable[str] = ()
) -> ContentSource:
    """Write translations (a written one is no longer outdated) and mark others reviewed by a
    native speaker (their "review" comment goes), reading and writing the catalog once."""
    catalog = _catalog(source, lang)
    found = _messages(catalog)
    for ctx, text in texts.items():
        message = found.get(ctx)
        if message is None:
            raise EditRefused(f"there is no text '{ctx}' in the {lang} catalog")
        text = clean_text(text, required=False)
        if message.id.endswith("\n") and text:  # type: ignore[attr-defined]
            text += "\n"
        message.string = text  # type: ignore[attr-defined]
        message.flags.discard("fuzzy")  # type: ignore[attr-defined]
        message.previous_id = []  # type: ignore[attr-defined]
    for ctx in reviewed:
        message = found.get(ctx)
        if message is None:
            raise EditRefused(f"there is no text '{ctx}' in the {lang} catalog")
        if not message.string or message.fuzzy:  # type: ignore[attr-defined]
            raise EditRefused("a missing or outdated translation cannot be marked reviewed: write it first")
        message.user_comments = [c for c in message.user_comments  # type: ignore[attr-defined]
                                 if REVIEW_MARK not in c.lower()]
    return ContentSource({**source.files, po_path(lang): render_po(catalog)})


def import_po(source: ContentSource, view: Overview, lang: str, data: bytes) -> tuple[ContentSource, ImportReport]:
    """Merge a translator's .po file into the pack: each entry checked as publishing checks it
    (a known text, written for today's Spanish, the same {placeholders}, no control characters);
    entries marked fuzzy ("needs work") or empty in the file leave the draft as it was."""
    report = ImportReport(lang)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.problem = NOT_UTF8
        return source, report
    try:
        uploaded = read_catalog(text, abort_invalid=True)
    except Exception as error:  # babel raises several types for broken files
        report.problem, report.detail = NOT_PO, str(error)[:200]
        return source, report
    said = str(uploaded.locale or "").split("_")[0].lower()
    if said and said != lang:
        report.problem, report.detail = OTHER_LANGUAGE, said
        return source, report
    accepted: dict[str, str] = {}
    for message in uploaded:
        if not message.id or not isinstance(message.id, str):
            continue
        ctx = message.context or ""
        row = view.rows.get(ctx)
        string = message.string if isinstance(message.string, str) else ""
        if row is None:
            report.refused.append(Refusal(ctx or message.id[:60], UNKNOWN))
        elif message.id != row.item.source:
            report.refused.append(Refusal(ctx, OLDER_SOURCE))
        elif not string.strip():
            report.skipped.append(Refusal(ctx, EMPTY))
        elif message.fuzzy:
            report.skipped.append(Refusal(ctx, MARKED_FUZZY))
        elif placeholders(string) != placeholders(row.item.source):
            missing = placeholders(row.item.source) - placeholders(string)
            extra = placeholders(string) - placeholders(row.item.source)
            report.refused.append(Refusal(ctx, PLACEHOLDERS, " ".join(sorted(missing | extra))))
        else:
            try:
                cleaned = clean_text(string, required=False)
            except EditRefused as refused:
                report.refused.append(Refusal(ctx, INVALID, str(refused)))
                continue
            cell = row.cells[lang]
            if cleaned == cell.text and cell.state not in (FUZZY, MISSING):
                report.unchanged += 1
            else:
                accepted[ctx] = cleaned
                report.changed.append(Change(ctx, cell.text, cleaned))
    if accepted:
        source = change_translations(source, lang, accepted)
    return source, report
