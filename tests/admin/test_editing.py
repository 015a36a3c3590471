"""Editing a content pack: YAML round trip keeps comments and order, gettext semantics for translations."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content import editing, yamledit
from bot.content.catalog import Catalogs
from bot.content.editing import EditRefused
from bot.content.overview import FUZZY, OK, overview
from bot.content.source import ContentSource
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def pack() -> ContentSource:
    return ContentSource.from_directory(PROJECT_ROOT)


def test_every_shipped_flow_file_round_trips_byte_for_byte(pack: ContentSource) -> None:
    for path, text in pack.dialogs():
        assert yamledit.dump(yamledit.load(text)) == text, path


def test_merging_unchanged_content_changes_no_catalog(pack: ContentSource) -> None:
    assert editing.merge_catalogs(pack).files == pack.files


def test_changing_spanish_keeps_comments_and_marks_translations_outdated(pack: ContentSource) -> None:
    edited = editing.set_source_text(pack, "system.not_understood", "Perdón, no entendí lo que escribiste.")
    yaml = edited.files["dialogs/system.yaml"]
    assert "# Words that work at every step, in every language." in yaml  # comments kept
    assert 'not_understood: "Perdón, no entendí lo que escribiste."' in yaml  # quoting kept
    changed = [line for line in yaml.splitlines() if line not in pack.files["dialogs/system.yaml"].splitlines()]
    assert len(changed) == 1
    view = overview(edited)
    for lang in ("ht", "fr", "en", "pt"):
        cell = view.rows["system.not_understood"].cells[lang]
        assert cell.state == FUZZY and cell.previous == "No entendí tu respuesta."
    fr = Catalogs.from_source(edited)
    assert fr.translation("fr", "system.not_understood", "Perdón, no entendí lo que escribiste.") is None


def test_a_completely_rewritten_text_keeps_its_own_translation_as_outdated(pack: ContentSource) -> None:
    edited = editing.set_source_text(pack, "system.empty", "Zzz qwerty: nada que ver con antes.")
    cell = overview(edited).rows["system.empty"].cells["fr"]
    assert cell.state == FUZZY and cell.text == overview(pack).rows["system.empty"].cells["fr"].text


def test_a_checked_translation_is_no_longer_outdated(pack: ContentSource) -> None:
    edited = editing.set_source_text(pack, "system.empty", "Tu mensaje llegó sin texto.")
    edited = editing.set_translation(edited, "ht", "system.empty", "Mesaj ou a rive san tèks.")
    assert overview(edited).rows["system.empty"].cells["ht"] == overview(edited).rows["system.empty"].cells["ht"].__class__(
        "Mesaj ou a rive san tèks.", OK)
    assert overview(edited).rows["system.empty"].cells["fr"].state == FUZZY


def test_multi_line_text_becomes_a_block(pack: ContentSource) -> None:
    edited = editing.set_source_text(pack, "main.menu.say", "Hola.\r\n¿Qué necesitas?")
    assert 'say: |\n      Hola.\n      ¿Qué necesitas?\n' in edited.files["dialogs/main.yaml"]
    assert overview(edited).rows["main.menu.say"].item.source == "Hola.\n¿Qué necesitas?"


def test_buttons_can_be_added_moved_retargeted_and_removed(pack: ContentSource) -> None:
    before = [c.id for c in overview(pack).flow("main").steps[1].choices]  # type: ignore[union-attr]
    edited = editing.add_choice(pack, "main", "menu", "help", "Ayuda", "@menu")
    edited = editing.move_choice(edited, "main", "menu", "help", -1)
    view = overview(edited)
    step = view.flow("main").steps[1]  # type: ignore[union-attr]
    assert [c.id for c in step.choices] == before[:-1] + ["help"] + before[-1:]
    assert view.rows["main.menu.choices.help"].cells["fr"].state == "missing"
    edited = editing.set_choice_go(edited, "main", "menu", "help", "privacy")
    assert "go: privacy" in edited.files["dialogs/main.yaml"]
    edited = editing.remove_choice(edited, "main", "menu", "help")
    assert edited.files == pack.files
    with pytest.raises(EditRefused, match="already a button"):
        editing.add_choice(pack, "main", "menu", "privacy", "Otra", "")
    with pytest.raises(EditRefused, match="lowercase"):
        editing.add_choice(pack, "main", "menu", "Bad Id", "Otra", "")


def test_a_topics_source_and_review_date_are_editable(pack: ContentSource) -> None:
    assert editing.editable_fields() == ("source", "reviewed", "note")
    edited = editing.set_step_field(pack, "privacy", "summary", "source", "LFPDPPP, art. 16")
    edited = editing.set_step_field(edited, "privacy", "summary", "reviewed", "2026-03-31")
    data = yamledit.load(edited.files["dialogs/privacy.yaml"])
    step = data["steps"][0]
    assert step["source"] == "LFPDPPP, art. 16" and step["reviewed"] == dt.date(2026, 3, 31)
    with pytest.raises(EditRefused, match="not a date"):
        editing.set_step_field(edited, "privacy", "summary", "reviewed", "2026-02-31")


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "cannot be empty"), ("a" * 4001, "the most a message can hold is 4000"), ("bad\x00text", "control characters")],
)
def test_bad_texts_are_refused_with_a_reason(pack: ContentSource, text: str, message: str) -> None:
    with pytest.raises(EditRefused, match=message):
        editing.set_source_text(pack, "main.menu.say", text)


def test_unknown_texts_are_refused(pack: ContentSource) -> None:
    with pytest.raises(EditRefused):
        editing.set_source_text(pack, "main.nowhere.say", "x")
    with pytest.raises(EditRefused):
        editing.set_translation(pack, "xx", "main.menu.say", "x")
