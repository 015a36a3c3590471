"""Translations from gettext .po files: lookup by msgctxt, fuzzy and review marks, statistics."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.content.pofile import read_catalog

from bot.content.source import ContentSource, po_path
from bot.languages import LANGUAGES, SOURCE_LANGUAGE

# A translator comment with this word asks a native speaker to check the translation.
REVIEW_MARK = "review"


@dataclass(frozen=True)
class Entry:
    ctx: str
    msgid: str
    msgstr: str
    fuzzy: bool
    line: int
    needs_review: bool
    # For a fuzzy translation: the Spanish it was written for (`#| msgid`), when the file says.
    previous: str = ""


class CatalogError(ValueError):
    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Catalogs:
    """Every language's entries by msgctxt."""

    entries: dict[str, Mapping[str, Entry]]

    @classmethod
    def from_source(cls, source: ContentSource) -> Catalogs:
        entries: dict[str, Mapping[str, Entry]] = {}
        for lang in LANGUAGES:
            if lang == SOURCE_LANGUAGE:
                continue
            text = source.po(lang)
            entries[lang] = parse_po(text, po_path(lang)) if text else {}
        return cls(entries)

    def translation(self, lang: str, ctx: str, source: str) -> str | None:
        """The usable translation: present, for this very Spanish text, and not fuzzy."""
        entry = self.entries.get(lang, {}).get(ctx)
        if entry is None or entry.fuzzy or not entry.msgstr or entry.msgid != source:
            return None
        return entry.msgstr


# A pack's four catalogs are read for every pack the admin shows or checks, and an edit changes
# one file at most: a file read before (the same text) is not parsed again (Babel's reader takes
# ~15 ms a file). The entries are frozen and their table read-only, so packs can share them.
KEPT_CATALOGS = 16


@functools.lru_cache(maxsize=KEPT_CATALOGS)
def parse_po(text: str, path: str) -> Mapping[str, Entry]:
    """The entries of a .po file by msgctxt (read-only); CatalogError when Babel cannot read it."""
    return MappingProxyType(_parse_po(text, path))


def _parse_po(text: str, path: str) -> dict[str, Entry]:
    try:
        catalog = read_catalog(text, abort_invalid=True)
    except Exception as error:  # babel raises several types for broken files
        line = getattr(error, "lineno", 0) or 0
        raise CatalogError(path, line, f"not a valid .po file: {error}") from None
    found: dict[str, Entry] = {}
    for message in catalog:
        if not message.id or not message.context:
            continue
        msgstr = message.string if isinstance(message.string, str) else ""
        found[message.context] = Entry(
            ctx=message.context,
            msgid=message.id if isinstance(message.id, str) else message.id[0],
            msgstr=msgstr,
            fuzzy=message.fuzzy,
            line=message.lineno or 0,
            needs_review=any(REVIEW_MARK in c.lower() for c in message.user_comments),
            previous=message.previous_id[0] if message.fuzzy and message.previous_id else "",
        )
    return found


@dataclass(frozen=True)
class LanguageStats:
    language: str
    total: int
    translated: int
    fuzzy: int
    missing: int
    needs_review: int


def statistics(texts: dict[str, str], catalogs: Catalogs) -> list[LanguageStats]:
    """Per language: how many of the current Spanish texts are translated, fuzzy, or missing."""
    rows = [LanguageStats(SOURCE_LANGUAGE, len(texts), len(texts), 0, 0, 0)]
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        translated = fuzzy = missing = review = 0
        table = catalogs.entries.get(lang, {})
        for ctx, source in texts.items():
            entry = table.get(ctx)
            if entry is None or not entry.msgstr:
                missing += 1
            elif entry.fuzzy or entry.msgid != source:
                fuzzy += 1
            else:
                translated += 1
                review += entry.needs_review
        rows.append(LanguageStats(lang, len(texts), translated, fuzzy, missing, review))
    return rows
