"""The admin's own catalogs: every text of its templates and Python is in them, translated in
Spanish and English; gettext's msgfmt accepts them; no text of a template escapes translation;
the bot's catalogs (what users read) hold none of the admin's words."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.settings import PROJECT_ROOT
from bot.web.admin import catalogs
from bot.web.admin.translations import LANGUAGES, po_path

ADMIN = PROJECT_ROOT / "bot" / "web" / "admin"
# Words a template may show as they are in every language: names, codes, symbols.
UNTRANSLATED = {"Puente", "CURP", "SINCO", "CSV", "MXN", "English", "Español"}


def ids(catalog) -> set[object]:  # type: ignore[no-untyped-def]
    return {message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id}


def test_every_admin_text_is_translated_in_spanish_and_english() -> None:
    for lang in LANGUAGES:
        assert catalogs.missing(lang) == [], f"{lang}: run `puente i18n extract --admin` and translate these"


def test_the_template_in_the_repository_is_current() -> None:
    with catalogs.POT.open("rb") as pot:
        stored = read_po(pot)
    assert ids(stored) == ids(catalogs.template()), "run `puente i18n extract --admin`"


@pytest.mark.skipif(shutil.which("msgfmt") is None and not __import__("os").environ.get("CI"),
                    reason="gettext's msgfmt is not installed (apt-get install gettext)")
def test_msgfmt_accepts_the_admin_catalogs(tmp_path: Path) -> None:
    assert shutil.which("msgfmt"), ".ci/run installs gettext"
    for path in [catalogs.POT, *(po_path(lang) for lang in LANGUAGES)]:
        result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_no_template_text_escapes_translation() -> None:
    """What is left of a template without its Jinja and its HTML must be no words at all."""
    for template in sorted(ADMIN.glob("**/*.html")):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
        words = set(re.findall(r"[A-Za-zÀ-ÿ]{2,}", text)) - UNTRANSLATED
        assert not words, f"{template.relative_to(PROJECT_ROOT)}: wrap these words with _(): {sorted(words)}"


def test_attributes_people_read_are_translated() -> None:
    """Titles, labels, placeholders and confirmations written as plain English in a template."""
    pattern = re.compile(r'\b(aria-label|placeholder|title|data-confirm|alt)="([^"{]*[A-Za-z]{3,}[^"{]*)"')
    for template in sorted(ADMIN.glob("**/*.html")):
        found = pattern.findall(template.read_text(encoding="utf-8"))
        found = [value for _, value in found if not set(re.findall(r"[A-Za-z]{3,}", value)) <= {"content", "staff", "export"}]
        assert not found, f"{template.relative_to(PROJECT_ROOT)}: translate {found}"


def test_the_bots_catalogs_hold_no_admin_text() -> None:
    admin_files = {path.name for path in (PROJECT_ROOT / "locales").glob("**/admin.po*")}
    assert admin_files == set()
    with (PROJECT_ROOT / "locales" / "messages.pot").open("rb") as pot:
        bot = read_po(pot)
    assert not [m.id for m in bot if any(path.startswith("bot/web/admin") for path, _ in m.locations)]
    assert catalogs.POT.parent == ADMIN / "locales"
