"""The translation workspace in Debian's Chromium: a Creole translator filters to "to review",
corrects two texts, marks them reviewed and cannot publish; a .po file is downloaded, edited
outside the browser (polib, as Poedit or Weblate would) and uploaded, and the report shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest

from bot.app import App
from bot.content.overview import OK, overview
from db import revisions as store
from tests.admin.live_server import chromium, log_in, new_tab, serving

# One Chromium for the module (each test in a fresh context, its own cookies), its tests on one
# xdist worker: a launch is ~2 s.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_translation_browser")]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, App]]:
    with serving(tmp_path, {"tina": "translator"}) as (base, app):
        with app.db.transaction() as conn:
            conn.exec_driver_sql("UPDATE staff_users SET languages = 'ht' WHERE login = 'tina'")
        yield base, app


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(site: tuple[str, App], browser: Any) -> Iterator[Any]:
    page = new_tab(browser, accept_downloads=True)
    log_in(page, site[0], "tina")
    yield page
    page.context.close()


def to_review(tab: Any) -> int:
    label = tab.get_by_role("link", name=re.compile(r"^To review \d+")).inner_text()
    return int(re.sub(r"\D", "", label))


def draft(app: App):  # type: ignore[no-untyped-def]
    with app.db.transaction() as conn:
        return overview(app.revisions.working(conn).source)


def test_a_creole_translator_reviews_two_texts_and_cannot_publish(site: tuple[str, App], tab: Any) -> None:
    base, app = site
    tab.get_by_role("link", name="Translations").first.click()
    tab.get_by_role("link", name="Kreyòl Ayisyen").click()
    tab.get_by_role("link", name=re.compile(r"^To review")).click()
    before = to_review(tab)
    boxes = tab.locator("textarea[lang=ht]")
    assert boxes.count() > 2 and tab.locator('p.source[lang="es"]').count() == boxes.count()
    first, second = (boxes.nth(i).get_attribute("name")[2:] for i in range(2))  # type: ignore[index]
    boxes.nth(0).fill("Premye tèks, korije pa yon moun ki pale kreyòl.")
    boxes.nth(1).fill("Dezyèm tèks, korije tou.")
    tab.locator(f'input[name="reviewed"][value="{first}"]').check()
    tab.locator(f'input[name="reviewed"][value="{second}"]').check()
    tab.get_by_role("button", name="Save in the draft").click()
    assert "Saved in the draft" in tab.inner_text("main")
    assert to_review(tab) == before - 2
    view = draft(app)
    assert view.rows[first].cells["ht"].text == "Premye tèks, korije pa yon moun ki pale kreyòl."
    assert view.rows[second].cells["ht"].text == "Dezyèm tèks, korije tou."
    assert view.rows[first].cells["ht"].state == OK and view.rows[second].cells["ht"].state == OK
    # No Publish button for a translator, and a forged publication is refused.
    tab.goto(f"{base}/admin/publish")
    assert tab.get_by_role("button", name="Publish").count() == 0
    csrf = tab.locator('input[name="csrf"]').first.get_attribute("value")
    refused = tab.request.post(f"{base}/admin/publish", form={"csrf": csrf, "message": "mine"},
                               headers={"Origin": base})
    assert refused.status == 403
    with app.db.transaction() as conn:
        assert store.newest_number(conn) is None and store.draft(conn) is not None


def test_a_po_file_goes_out_to_poedit_and_comes_back(site: tuple[str, App], tab: Any, tmp_path: Path) -> None:
    base, app = site
    tab.goto(f"{base}/admin/translations/ht")
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Download the .po file (ht)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("puente-ht-")
    po = polib.pofile(str(path))
    entries = {entry.msgctxt: entry for entry in po}
    entries["system.empty"].msgstr = "Mesaj ou a rive san anyen ladan l."
    entries["system.too_long"].msgstr = "Mesaj ou a twò long."  # {max} lost: refused
    po.save(str(path))
    tab.set_input_files("#po-file", str(path))
    tab.get_by_role("button", name="Upload and check").click()
    report = tab.inner_text("main")
    assert "1 changed in the draft" in report and "1 refused" in report
    assert "Mesaj ou a rive san anyen ladan l." in report and "{max}" in report
    assert draft(app).rows["system.empty"].cells["ht"].text == "Mesaj ou a rive san anyen ladan l."
    tab.get_by_role("link", name="Back to the Kreyòl Ayisyen texts").click()
    tab.get_by_role("link", name=re.compile(r"^All")).click()
    tab.fill("#q", "san anyen ladan")
    tab.get_by_role("button", name="Search").click()
    assert tab.locator("textarea[lang=ht]").count() == 1
    assert tab.locator("textarea[lang=ht]").input_value() == "Mesaj ou a rive san anyen ladan l."
