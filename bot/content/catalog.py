"""Translations from gettext .po files: lookup by msgctxt, fuzzy and review marks, statistics."""

from __future__ import annotations

from dataclasses import dataclass

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

    entries: dict[str, dict[str, Entry]]

    @classmethod
    def from_source(cls, source: ContentSource) -> Catalogs:
        entries: dict[str, dict[str, Entry]] = {}
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


def parse_po(text: str, path: str) -> dict[str, Entry]:
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
