"""Babel extraction of every text in the YAML flows, with msgctxt = flow.step.field.

Registered as the `puente_dialogs` extractor: `pybabel extract -F babel.cfg -o locales/messages.pot .`
does the same as `puente i18n extract`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog

from bot.content.document import read_documents
from bot.content.pofile import read_catalog
from bot.content.pofile import render_po as _render_po
from bot.content.source import ContentSource, po_path
from bot.content.texts import TextItem
from bot.languages import LANGUAGES, SOURCE_LANGUAGE

PROJECT = "Puente"
HEADER = """\
# Puente: texts of the flows in dialogs/, {what}.
# Made by `puente i18n extract`; edit translations with Poedit or Weblate, not the msgid.
# A translator comment containing "review" asks a native speaker to check the entry.
#"""


def extract_dialogs(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extractor interface: (line, funcname, (context, message), comments)."""
    name = getattr(fileobj, "name", "dialogs/file.yaml")
    text = fileobj.read().decode("utf-8")
    docs = read_documents([(str(name), text)])
    for item in docs.texts():
        yield item.line, "pgettext", (item.ctx, item.source), _comments(item)


def _comments(item: TextItem) -> list[str]:
    notes = []
    if "{" in item.source:
        notes.append("Keep every {placeholder} exactly as written.")
    return notes


def template(source: ContentSource) -> Catalog:
    """The .pot: every Spanish text of the pack, keyed by msgctxt."""
    catalog = Catalog(
        project=PROJECT, version="1", locale=None, fuzzy=False,
        creation_date=dt.datetime(2026, 1, 1), header_comment=HEADER.format(what="template"),
        copyright_holder="Puente contributors",
    )
    docs = read_documents(source.dialogs())
    for item in docs.texts():
        catalog.add(item.source, context=item.ctx, locations=[(item.path, item.line)],
                    auto_comments=_comments(item))
    return _without_python_format(catalog)


def _without_python_format(catalog: Catalog) -> Catalog:
    """Content placeholders are {name}, never %: Babel flags a text as python-format when it
    merely contains "25% del" ("% d"), and msgfmt --check then refuses a translation that reads
    "25% nan". No content text is a Python format string."""
    for message in catalog:
        message.flags.discard("python-format")
    return catalog


def render_po(catalog: Catalog) -> str:
    """Every catalog Puente writes (content and admin) goes through bot.content.pofile."""
    return _render_po(catalog)


def updated_catalog(lang: str, pot: Catalog, existing: str | None) -> Catalog:
    """Merge the template into a language's catalog: gettext marks changed texts fuzzy."""
    if existing:
        catalog = read_catalog(existing, lang)
    else:
        catalog = Catalog(
            locale=lang, project=PROJECT, version="1", fuzzy=False, creation_date=pot.creation_date,
            header_comment=HEADER.format(what=f"translated to {lang}"),
            copyright_holder="Puente contributors",
        )
    # msgctxt is a text's identity: when its Spanish changes, its own old translation is the
    # fuzzy candidate. Babel's fuzzy matching is off: it matches on msgid alone and handed a new
    # button another button's translation, pre-filled as "outdated". A new text starts empty.
    before = {m.context: m for m in catalog if m.id and m.context}
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    for message in catalog:
        old = before.get(message.context) if message.id and message.context else None
        if old is None:
            continue
        if old.id != message.id and old.string:
            message.string = old.string
            message.flags.add("fuzzy")
            message.user_comments = list(old.user_comments)
        if message.fuzzy:
            # The Spanish the translation was written for: kept across several edits.
            written_for = old.previous_id[0] if old.fuzzy and old.previous_id else old.id
            message.previous_id = [written_for] if written_for != message.id else []
    catalog.revision_date = pot.creation_date
    return _without_python_format(catalog)


def write_catalogs(root: Path) -> list[Path]:
    """Write locales/messages.pot and update every language's .po from the flows under root."""
    source = ContentSource.from_directory(root)
    pot = template(source)
    written = [root / "locales" / "messages.pot"]
    written[0].parent.mkdir(parents=True, exist_ok=True)
    written[0].write_text(render_po(pot), encoding="utf-8")
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        target = root / po_path(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_po(updated_catalog(lang, pot, source.po(lang))), encoding="utf-8")
        written.append(target)
    return written
