"""The .po files after edits made in the admin: gettext's msgfmt accepts every one, the Spanish a
translation was written for reads back exactly, and a new text never borrows a neighbour's
translation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.content import editing
from bot.content.catalog import statistics
from bot.content.loader import read_pack
from bot.content.overview import FUZZY, MISSING, OK, overview
from bot.content.source import ContentSource, po_path
from bot.settings import PROJECT_ROOT

TRANSLATED = ("ht", "fr", "en", "pt")
HELP = "system.help"


@pytest.fixture(scope="module")
def pack() -> ContentSource:
    return ContentSource.from_directory(PROJECT_ROOT)


def msgfmt_problems(source: ContentSource, folder: Path) -> dict[str, str]:
    """Every catalog of the pack written out, as `puente content export` does, and checked by msgfmt."""
    if shutil.which("msgfmt") is None:
        pytest.fail("gettext's msgfmt is missing: apt-get install gettext")
    source.write_to(folder)
    problems = {}
    for lang in TRANSLATED:
        result = subprocess.run(["msgfmt", "--check", "-o", str(folder / f"{lang}.mo"), str(folder / po_path(lang))],
                                capture_output=True, text=True, check=False)
        if result.returncode:
            problems[lang] = result.stderr
    return problems


def rewritten_help(pack: ContentSource) -> str:
    """The help (several lines, longer than a .po line) with a line changed in the middle."""
    old = overview(pack).rows[HELP].item.source
    assert old.count("\n") >= 3 and len(old) > 100
    lines = old.split("\n")
    lines[2] = lines[2] + " (o la anterior, si te equivocaste)"
    return "\n".join(lines)


def test_a_changed_multi_line_text_leaves_catalogs_gettext_accepts(pack: ContentSource, tmp_path: Path) -> None:
    old = overview(pack).rows[HELP].item.source
    edited = editing.set_source_text(pack, HELP, rewritten_help(pack))
    assert msgfmt_problems(edited, tmp_path / "one") == {}
    cells = overview(edited).rows[HELP].cells
    for lang in TRANSLATED:
        # The hint staff read: the Spanish the translation was written for, exactly (no stray quotes).
        assert cells[lang].state == FUZZY and cells[lang].previous == old, lang
    # Edited again: the translation was still written for the first Spanish.
    again = editing.set_source_text(edited, HELP, rewritten_help(pack) + "\nGracias.")
    assert msgfmt_problems(again, tmp_path / "two") == {}
    assert overview(again).rows[HELP].cells["fr"].previous == old
    # A translator confirms French: no previous-source comment remains there, the others keep theirs.
    confirmed = editing.set_translation(again, "fr", HELP, overview(again).rows[HELP].cells["fr"].text)
    assert msgfmt_problems(confirmed, tmp_path / "three") == {}
    assert overview(confirmed).rows[HELP].cells["fr"].state in (OK, "review")
    assert "#|" not in _entry(confirmed.po("fr") or "", HELP)
    assert overview(confirmed).rows[HELP].cells["ht"].previous == old


def test_reading_and_writing_a_catalog_changes_nothing(pack: ContentSource) -> None:
    """The shipped catalogs are what the admin's writer writes: no comment grows on each save."""
    assert editing.merge_catalogs(pack).files == pack.files
    for lang in TRANSLATED:
        assert "# | msgid" not in (pack.po(lang) or ""), lang


def test_a_new_button_starts_empty_in_every_language(pack: ContentSource) -> None:
    # "Menú principal" is another text's Spanish: Babel's fuzzy matching used to copy its translation.
    edited = editing.add_choice(pack, "main", "menu", "home", "Menú principal", "@menu")
    row = overview(edited).rows["main.menu.choices.home"]
    for lang in TRANSLATED:
        assert row.cells[lang].text == "" and row.cells[lang].state == MISSING, lang
        assert 'msgctxt "main.menu.choices.home"' in (edited.po(lang) or "")
        assert "fuzzy" not in _entry(edited.po(lang) or "", "main.menu.choices.home")
    docs, catalogs, _errors = read_pack(edited)
    stats = {s.language: s for s in statistics({i.ctx: i.source for i in docs.texts()}, catalogs)}
    for lang in TRANSLATED:
        assert stats[lang].missing == 1 and stats[lang].fuzzy == 0, lang


def test_a_new_step_text_starts_empty_even_when_it_resembles_another(pack: ContentSource) -> None:
    old = overview(pack).rows["system.not_understood"].item.source
    edited = editing.add_choice(pack, "main", "menu", "lost", old + "!", "@menu")
    for lang in TRANSLATED:
        assert overview(edited).rows["main.menu.choices.lost"].cells[lang].state == MISSING


def _entry(po: str, ctx: str) -> str:
    """The block of one entry (its comments and strings)."""
    for block in po.split("\n\n"):
        if f'msgctxt "{ctx}"' in block:
            return block
    raise AssertionError(f"no entry {ctx}")


def test_files_written_by_babels_own_writer_are_read_back_and_repaired(pack: ContentSource, tmp_path: Path) -> None:
    """A catalog saved before this fix (Babel wrapped `#| msgid` as prose) gives the previous
    Spanish back, and the next save writes it as gettext does."""
    import io

    from babel.messages.pofile import write_po

    from bot.content.pofile import read_catalog, render_po

    old = overview(pack).rows[HELP].item.source
    catalog = read_catalog(editing.set_source_text(pack, HELP, rewritten_help(pack)).po("ht") or "", "ht")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_previous=True)
    broken = buffer.getvalue().decode()
    repaired = render_po(read_catalog(broken, "ht"))
    assert next(m for m in read_catalog(repaired, "ht") if m.context == HELP).previous_id == [old]
    source = ContentSource({**pack.files, po_path("ht"): repaired})
    assert "ht" not in msgfmt_problems(source, tmp_path)
