"""The admin's catalogs on disk: extracting its words from the templates and the Python of
bot/web/admin (babel-admin.cfg), and updating admin.po per language, as `puente i18n extract
--admin` does. English is the language of the code: its catalog starts every new text as the
text itself (what msginit does for English), so a wording can be improved without touching code."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.content.extract import render_po
from bot.web.admin.translations import DOMAIN, LANGUAGES, LOCALES, po_path

ADMIN = Path(__file__).resolve().parent
MAPPING = ADMIN.parent.parent.parent / "babel-admin.cfg"
POT = LOCALES / f"{DOMAIN}.pot"
HEADER = """\
# Puente: the words of the staff web admin, {what}.
# Made by `puente i18n extract --admin` from bot/web/admin (templates and Python).
# The bot's own texts are in locales/ (messages.po), never here.
#"""
# Where translators and staff report a wrong or unclear word: the project's issues.
CONTACT = "issues of the Puente repository"
# A fixed date keeps the files the same when nothing changed.
DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def template() -> Catalog:
    """Every text of the admin, with where it is used."""
    with MAPPING.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="Puente admin", version="1", fuzzy=False, creation_date=DATE,
                      header_comment=HEADER.format(what="template"), copyright_holder="Puente contributors",
                      msgid_bugs_address=CONTACT)
    for filename, line, message, comments, context in extract_from_dir(
            ADMIN, method_map, options_map, keywords=DEFAULT_KEYWORDS, strip_comment_tags=True):
        path = (ADMIN / filename).relative_to(ADMIN.parent.parent.parent).as_posix()
        catalog.add(message, locations=[(path, line)], auto_comments=comments, context=context)
    return catalog


# Written exactly as the bot's catalogs are (one writer for every .po of the project).
render = render_po


def updated(lang: str, pot: Catalog, existing: str | None) -> Catalog:
    """The language's catalog merged with the template: new texts empty (English: the text
    itself), changed ones fuzzy, removed ones dropped."""
    if existing:
        catalog = read_po(io.StringIO(existing), locale=lang, domain=DOMAIN)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="Puente admin", version="1", fuzzy=False,
                          creation_date=DATE, header_comment=HEADER.format(what=f"in {lang}"),
                          copyright_holder="Puente contributors", msgid_bugs_address=CONTACT,
                          last_translator=f"Puente contributors <{CONTACT}>",
                          language_team=f"Puente <{CONTACT}>")
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    if lang == "en":
        for message in catalog:
            if message.id and not any(message.string if isinstance(message.string, tuple) else [message.string]):
                message.string = message.id if isinstance(message.id, str) else tuple(message.id)
    catalog.revision_date = DATE
    return catalog


def write_catalogs() -> list[Path]:
    pot = template()
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_text(render(pot), encoding="utf-8")
    written = [POT]
    for lang in LANGUAGES:
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
        path.write_text(render(updated(lang, pot, existing)), encoding="utf-8")
        written.append(path)
    return written


def missing(lang: str) -> list[str]:
    """Texts of the admin without a usable translation in `lang` (absent, empty or fuzzy)."""
    path = po_path(lang)
    found = read_po(io.StringIO(path.read_text(encoding="utf-8")), locale=lang) if path.is_file() else Catalog()
    gaps = []
    for message in template():
        if not message.id:
            continue
        have = found.get(message.id, context=message.context)
        strings = have.string if have is not None and isinstance(have.string, tuple) else [have.string if have else ""]
        if have is None or have.fuzzy or not all(strings):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps
