"""The translation workspace in process: filters whose counts are the lists they show, search in
any language, the native speaker's review mark, a translator limited to their languages, and
.po files downloaded and uploaded again (polib stands for Poedit or Weblate)."""

from __future__ import annotations

import html
import re

import polib
import pytest

from bot.app import App
from bot.content.overview import OK, overview
from db import audit
from db import revisions as store
from db import staff as staff_store

ROW = re.compile(r'<textarea id="t-\d+" name="t:([^"]+)" lang="(\w+)"')


def listed(staff, lang: str, show: str, q: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """Every text the workspace lists under a filter, page after page."""
    found, page = [], 1
    while True:
        text = staff.get(f"/admin/translations/{lang}", params={"show": show, "q": q, "page": page}).text
        rows = ROW.findall(text)
        assert all(row_lang == lang for _ctx, row_lang in rows)
        found += [html.unescape(ctx) for ctx, _lang in rows]
        if f"Page {page} of" not in text or f"Page {page} of {page}." in text:
            return found
        page += 1


def count_on_tab(page: str, label: str) -> int:
    found = re.search(rf'>{label} <span class="count \w+">([\d,]+)</span>', page)
    assert found, label
    return int(found.group(1).replace(",", ""))


def draft_view(app: App):  # type: ignore[no-untyped-def]
    with app.db.transaction() as conn:
        return overview(app.revisions.working(conn).source)


def test_each_filters_count_is_the_number_of_texts_it_lists(staff_of) -> None:  # type: ignore[no-untyped-def]
    translator = staff_of("translator")
    page = translator.get("/admin/translations/ht?show=all").text
    for show, label in (("review", "To review"), ("all", "All"), ("missing", "Missing"), ("outdated", "Outdated")):
        assert count_on_tab(page, label) == len(listed(translator, "ht", show)), show
    # Every text the language has is on some page: nothing counted that no page shows.
    assert count_on_tab(page, "All") == len(overview_rows(translator))
    # Names staff read, with the Spanish beside, not internal ids.
    assert '<p class="source" lang="es">' in page and 'lang="ht" spellcheck="true"' in page
    found = translator.get("/admin/translations/ht", params={"show": "all", "q": "aguinaldo"}).text
    assert "Mis derechos en el trabajo › Aguinaldo › Text" in html.unescape(found)
    assert "rights.aguinaldo.say<" not in found


def overview_rows(staff) -> list[str]:  # type: ignore[no-untyped-def]
    return listed(staff, "ht", "all")


def test_search_finds_a_text_by_any_language_without_accents(staff_of) -> None:  # type: ignore[no-untyped-def]
    translator = staff_of("translator")
    spanish = listed(translator, "ht", "all", "educacion")  # "educación" in Spanish
    assert spanish and all("." in ctx for ctx in spanish)
    creole = listed(translator, "ht", "all", "Bonjou, mwen se Puente")
    assert creole == ["system.first_topic"]
    assert listed(translator, "ht", "all", "zzzz nothing like this") == []


def test_a_translator_corrects_and_marks_reviewed_only_in_their_language(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    translator = staff_of("translator")
    before = count_on_tab(translator.get("/admin/translations/ht?show=review").text, "To review")
    first, second = listed(translator, "ht", "review")[:2]
    view = draft_view(app)
    saved = translator.post("/admin/translations/ht", {
        "back": "/admin/translations/ht?show=review&page=1",
        f"t:{first}": "Tèks korije pa yon moun ki pale kreyòl.", f"was:{first}": view.rows[first].cells["ht"].text,
        f"t:{second}": view.rows[second].cells["ht"].text, f"was:{second}": view.rows[second].cells["ht"].text,
        "reviewed": first})
    assert "Saved in the draft" in saved.text
    translator.post("/admin/translations/ht", {"back": "/admin/translations/ht?show=review", "reviewed": second})
    after = draft_view(app)
    assert after.rows[first].cells["ht"].text == "Tèks korije pa yon moun ki pale kreyòl."
    assert after.rows[first].cells["ht"].state == OK and after.rows[second].cells["ht"].state == OK
    assert count_on_tab(translator.get("/admin/translations/ht?show=review").text, "To review") == before - 2
    # Not French, not the Spanish source, not publishing.
    translator.client.follow_redirects = False
    french = translator.post("/admin/translations/fr", {"back": "/admin/translations/fr?show=all",
                                                          "reviewed": first})
    assert french.status_code == 403 and "only the translations of your languages (Kreyòl" in french.text
    spanish = translator.post("/admin/content/texts", {"back": "/admin/content/system", "es:system.empty": "x"})
    assert spanish.status_code == 403
    assert translator.post("/admin/publish", {"message": "mine"}).status_code == 403
    assert 'action="/admin/publish"' not in translator.get("/admin/publish").text
    with app.db.transaction() as conn:
        assert store.newest_number(conn) is None
        done = [e for e in audit.entries(conn) if e["action"] == "translations.edit"]
    assert done and done[0]["actor"] == "translator.user"


def test_a_new_button_is_missing_in_the_workspace_not_borrowed(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get("/admin/content/flows/main/steps/menu")
    editor.post("/admin/content/flows/main/steps/menu/choices",
                {"op": "add", "choice": "home", "label": "Menú principal", "go": "@menu"})
    page = editor.get("/admin/translations/ht?show=missing").text
    assert count_on_tab(page, "Missing") == 1 and listed(editor, "ht", "missing") == ["main.menu.choices.home"]
    assert "Button “Menú principal”" in page


def test_the_staff_page_gives_a_translator_their_languages(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    staff_of("translator", login="tina", translates=None)
    admin = staff_of("admin")
    with app.db.transaction() as conn:
        tina = staff_store.by_login(conn, "tina")
    assert tina is not None and tina.translates == ()
    admin.get("/admin/staff")
    admin.client.post(f"/admin/staff/{tina.id}", data={"csrf": admin.csrf, "op": "languages",
                                                       "languages": ["fr", "xx", "pt"]})
    with app.db.transaction() as conn:
        assert staff_store.by_login(conn, "tina").translates == ("fr", "pt")  # type: ignore[union-attr]


def po_of(staff, lang: str) -> polib.POFile:  # type: ignore[no-untyped-def]
    response = staff.get(f"/admin/translations/{lang}/messages.po")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-gettext-translation")
    assert f'filename="puente-{lang}-' in response.headers["content-disposition"]
    return polib.pofile(response.text)


def upload(staff, lang: str, data: bytes, name: str = "messages.po"):  # type: ignore[no-untyped-def]
    return staff.client.post(f"/admin/translations/{lang}/upload", data={"csrf": staff.csrf},
                             files={"file": (name, data, "text/x-gettext-translation")})


def test_a_po_file_edited_elsewhere_is_checked_and_merged_with_a_report(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    translator = staff_of("translator")
    po = po_of(translator, "ht")
    entries = {e.msgctxt: e for e in po}
    entries["system.empty"].msgstr = "Mesaj ou a rive san anyen ladan l."
    entries["system.too_long"].msgstr = "Mesaj ou a twò long."  # {max} dropped: refused
    entries["system.no_words"].msgstr = "Ekri ak mo, tanpri."
    entries["system.no_words"].flags.append("fuzzy")  # "needs work": left as it was
    entries["system.error"].msgid = "Un texto español de antes."  # translated from older Spanish
    entries["system.error"].msgstr = "Yon vye tèks."
    translator.get("/admin/translations/ht")
    report = upload(translator, "ht", str(po).encode("utf-8"))
    assert report.status_code == 200
    text = html.unescape(report.text)
    assert "1 changed in the draft" in text and "2 refused" in text and "1 left as they were" in text
    assert "Mesaj ou a rive san anyen ladan l." in text
    assert "{max}" in text and "older Spanish text" in text and "needs work" in text
    view = draft_view(app)
    assert view.rows["system.empty"].cells["ht"].text == "Mesaj ou a rive san anyen ladan l."
    assert "{max}" in view.rows["system.too_long"].cells["ht"].text
    assert view.rows["system.no_words"].cells["ht"].text == "Tanpri, ekri repons ou ak mo oswa ak chif."
    with app.db.transaction() as conn:
        assert any(e["action"] == "translations.upload" for e in audit.entries(conn))
    # The file downloaded again has the change, and polib reads it back.
    assert {e.msgctxt: e.msgstr for e in po_of(translator, "ht")}["system.empty"] == "Mesaj ou a rive san anyen ladan l."


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe not text", "not UTF-8"),
    (b"Nombre;Edad\nAna;31\n", "not a .po file"),
])
def test_a_file_that_is_not_a_po_file_changes_nothing(app: App, staff_of, data: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    translator = staff_of("translator")
    translator.get("/admin/translations/ht")
    response = upload(translator, "ht", data)
    assert response.status_code == 400 and message in response.text
    with app.db.transaction() as conn:
        assert store.draft(conn) is None


def test_a_file_of_another_language_is_refused_and_others_languages_too(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    translator = staff_of("translator")
    french = po_of(translator, "fr")
    translator.get("/admin/translations/ht")
    response = upload(translator, "ht", str(french).encode("utf-8"))
    assert response.status_code == 400 and "another language (fr)" in response.text
    assert upload(translator, "fr", str(french).encode("utf-8")).status_code == 403
