"""The English and the Spanish staff guides are kept in step: each names every page of the
admin's menu, in its language (the Spanish names from the admin's own catalog), and says how to
choose the language and the time zone."""

from __future__ import annotations

import importlib

from bot.settings import PROJECT_ROOT
from bot.web.admin import PAGES
from bot.web.admin.translations import speaking, _

GUIDES = {"en": PROJECT_ROOT / "docs" / "staff-guide.md", "es": PROJECT_ROOT / "docs" / "guia-del-personal.md"}


def test_both_guides_name_every_menu_page_in_their_language() -> None:
    labels = [item.label for name in PAGES for item in getattr(importlib.import_module(name), "NAV", [])]
    assert len(labels) >= 10
    for lang, path in GUIDES.items():
        text = path.read_text(encoding="utf-8")
        with speaking(lang):
            missing = [_(label) for label in labels if f"**{_(label)}**" not in text]
        assert missing == [], f"{path.name} does not name these pages: {missing}"


def test_both_guides_say_how_to_choose_language_and_time_zone() -> None:
    for lang, path in GUIDES.items():
        text = path.read_text(encoding="utf-8")
        with speaking(lang):
            for words in ("Language and time zone", "Save my preferences"):
                assert f"**{_(words)}**" in text, (path.name, _(words))
