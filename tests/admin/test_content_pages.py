"""Content pages as staff read them: texts named flow › step › field with the Spanish beside,
the source of the facts editable in one place only, the review date written as it is stored,
`lang` on every text box; and each pack parsed once per revision, not on every request."""

from __future__ import annotations

import re

import pytest

from bot.app import App
from bot.web.admin import content_cache
from tests.admin.test_publishing import edit

AGUINALDO = "/admin/content/flows/rights/steps/aguinaldo"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """How many times the admin parsed a pack (YAML and .po files)."""
    found: list[str] = []
    real = content_cache.overview

    def counted(source):  # type: ignore[no-untyped-def]
        found.append(source.digest())
        return real(source)

    monkeypatch.setattr(content_cache, "overview", counted)
    monkeypatch.setattr(content_cache, "_views", content_cache.Kept(content_cache.SHARED))  # nothing parsed yet
    return found


def test_texts_are_named_for_people_not_by_id(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    flow = editor.get("/admin/content/flows/rights").text
    assert '/steps/aguinaldo" lang="es">Aguinaldo</a>' in flow
    assert ">Start of the conversation</a>" in editor.get("/admin/content/flows/privacy").text
    step = editor.get(AGUINALDO).text
    assert "<h1>Step «<span lang=\"es\">Aguinaldo</span>»</h1>" in step
    assert "<h3>Text</h3>" in step and "<h3>Source of the facts</h3>" in step
    edit(editor, "rights.aguinaldo.say", "fr", "Le aguinaldo est une prime de fin d'année.", back=AGUINALDO)
    publish = editor.get("/admin/publish").text
    assert "Mis derechos en el trabajo › Aguinaldo › Text" in publish
    assert "Spanish: <span lang=\"es\">El aguinaldo es un pago extra" in publish
    spanish = staff_of("viewer", language=None).get("/admin/publish").text
    assert "Mis derechos en el trabajo › Aguinaldo › Texto" in spanish


def test_the_source_is_edited_in_one_place_and_the_review_date_reads_as_stored(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    page = editor.get(AGUINALDO).text
    assert page.count('name="es:rights.aguinaldo.source"') == 1  # with its translations
    assert 'name="source"' not in page  # not a second time under "About this step"
    reviewed = re.search(r'<input type="text" id="field-reviewed" name="reviewed" value="(\d{4}-\d\d-\d\d)"[^>]*>', page)
    assert reviewed and 'pattern="\\d{4}-\\d{2}-\\d{2}"' in reviewed.group(0)
    assert "Last reviewed (year-month-day, e.g. 2026-11-30)" in page and "That is Nov 25, 2026." in page
    saved = editor.post(f"{AGUINALDO}/fields", {"reviewed": "2026-12-01", "note": ""})
    assert saved.status_code == 200 and 'value="2026-12-01"' in saved.text


def test_every_text_box_says_its_language(staff_of) -> None:  # type: ignore[no-untyped-def]
    page = staff_of("editor").get(AGUINALDO).text
    for lang in ("es", "ht", "fr", "en", "pt"):
        assert re.search(rf'<textarea id="f-{lang}-rights\.aguinaldo\.say" name="{lang}:rights\.aguinaldo\.say" lang="{lang}"', page)
    boxes = re.findall(r"<textarea [^>]*>", page)
    assert boxes and all(' lang="' in box for box in boxes if 'name="note"' not in box)


def test_a_pack_is_parsed_once_per_change_not_per_request(app: App, staff_of, parses: list[str]) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    for path in ("/admin/content", "/admin/content/flows/rights", AGUINALDO, "/admin/content/system", AGUINALDO):
        assert editor.get(path).status_code == 200
    assert len(parses) == 1  # the live content, once
    edit(editor, "rights.aguinaldo.say", "pt", "Aguinaldo: um pagamento extra (texto de teste).", back=AGUINALDO)
    page = editor.get(AGUINALDO).text
    assert "Aguinaldo: um pagamento extra (texto de teste)." in page  # the change is shown at once
    draft_parses = len(parses)
    for _ in range(3):
        editor.get(AGUINALDO)
        editor.get("/admin/publish")
    assert len(parses) == draft_parses  # nothing parsed again while the draft does not change
    editor.post("/admin/publish/discard")
    assert "(texto de teste)" not in editor.get(AGUINALDO).text


def test_the_same_pack_is_parsed_once_per_process_whoever_reads_it(app: App, parses: list[str]) -> None:
    """Two admins of one process (or a draft and the revision it became) share the parse."""
    from bot.content.revisions import Pack
    from bot.content.source import ContentSource
    from bot.settings import PROJECT_ROOT

    files = ContentSource.from_directory(PROJECT_ROOT)
    first, second = content_cache.ContentViews(app.revisions), content_cache.ContentViews(app.revisions)
    assert first.parsed_source(files).view is second.parsed_source(files).view
    assert second.of(Pack(files, None)).view is first.parsed_source(files).view
    assert parses == [files.digest()]


def test_history_says_restorations_in_the_admins_language(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    from bot.content import editing
    from bot.content.source import ContentSource
    from bot.settings import PROJECT_ROOT

    files = ContentSource.from_directory(PROJECT_ROOT)
    with app.db.transaction() as conn:
        app.revisions.publish(conn, files, "test", "primera")
        app.revisions.publish(conn, editing.set_translation(files, "fr", "privacy.summary.say", "Texte."), "test", "")
        app.revisions.restore(conn, 1, "test")
    spanish = staff_of("editor", language=None).get("/admin/revisions").text
    assert "<td>restaurada r1</td>" in spanish
    english = staff_of("viewer").get("/admin/revisions/3").text
    assert "· restored r1" in english
