"""The admin in a real browser: Debian's Chromium driven by Playwright (no browser download).

Log in, edit a Haitian Creole text, see a broken edit refused at save, publish, see the
change in the simulator, restore the earlier revision."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.admin.live_server import PASSWORD, chromium, log_in, new_tab, serving

# One Chromium for the module (each test in a fresh context, its own cookies), its tests on one
# xdist worker: a launch is ~2 s.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_browser")]

HT = 'textarea[name="ht:privacy.summary.say"]'


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path, {"edith": "editor"}) as (base, _app):
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(server: str, browser: Any):  # type: ignore[no-untyped-def]
    # The browser asks for English (Playwright's default locale): the admin answers in English.
    tab = new_tab(browser)
    yield tab
    tab.context.close()


def edit_creole(page, base: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/admin/content")
    page.get_by_role("link", name="Mis datos y privacidad").click()
    # Steps are listed by names staff read (a flow's first step: "Start of the conversation"), not ids.
    page.get_by_role("link", name="Start of the conversation").click()
    page.fill(HT, text)
    page.get_by_role("button", name="Save in the draft").first.click()
    assert "Saved in the draft" in page.inner_text("main")


def simulate_creole(page, base: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/admin/simulator")
    page.select_option("#content", "live")
    page.select_option("#language", "ht")
    page.get_by_role("button", name="Start a new conversation").click()
    page.fill(".send input[name=text]", "done mwen")
    page.get_by_role("button", name="Send").click()
    return page.inner_text(".bubbles")


def test_edit_creole_refuse_broken_publish_simulate_restore(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server}/admin")
    assert page.url.startswith(f"{server}/admin/login")
    page.fill("#login", "edith")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", name="Dashboard").is_visible()

    first = "Puente kenbe sèlman sa ki nesesè pou ede w. (vèsyon 1)"
    edit_creole(page, server, first)
    page.goto(f"{server}/admin/publish")
    page.get_by_role("button", name="Publish").click()
    assert "Published: users see the new content" in page.inner_text("main")

    second = "Puente pa janm vann done ou yo. (vèsyon 2)"
    edit_creole(page, server, second)
    # A broken edit: a button that jumps nowhere. It is refused at save, naming the field, and
    # nothing reaches the draft.
    page.goto(f"{server}/admin/content/flows/main/steps/menu")
    page.fill('input[aria-label="Where \'privacy\' goes"]', "privacyy")
    page.locator("form:has(input[aria-label=\"Where 'privacy' goes\"]) button").click()
    problems = page.inner_text(".error")
    assert "Nothing was saved" in problems and "“Goes to” of the button" in problems
    assert "there is no step or conversation called “privacyy”" in problems and "Did you mean “privacy”" in problems
    assert "dialogs/main.yaml" not in problems
    page.goto(f"{server}/admin/publish")
    assert "The draft passes every check." in page.inner_text("main")
    page.get_by_role("button", name="Publish").click()
    assert "Published" in page.inner_text("main")

    assert second in simulate_creole(page, server)

    page.goto(f"{server}/admin/revisions")
    page.get_by_role("button", name="Restore r1").click()
    assert "Restored as a new published revision" in page.inner_text("main")
    assert "restored r1" in page.inner_text("table")
    bubbles = simulate_creole(page, server)
    assert first in bubbles and second not in bubbles


def test_the_admin_fits_a_phone_screen(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, server, "edith")  # waits for the page the login posts to, before leaving it
    page.goto(f"{server}/admin/content/flows/privacy/steps/summary")
    # Languages stack: nothing wider than the screen, the menu folds behind a button.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not page.locator("header nav").get_by_role("link", name="Simulator").is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert page.locator("header nav").get_by_role("link", name="Simulator").is_visible()
    page.screenshot(path=str(Path(os.environ.get("PUENTE_SCREENSHOTS", "/tmp")) / "admin-phone.png"), full_page=False)


def test_upload_a_vacancy_file_and_read_the_report_on_a_phone(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, server, "edith")  # waits for the page the login posts to, before leaving it
    page.goto(f"{server}/admin/vacancies")
    page.get_by_role("link", name="Upload a file").click()
    csv_text = ("source,external_id,title,employer,state,how_to_apply\n"
                "sne,1,Cocinero,Fonda La Paz,Jalisco,Ven a la fonda de 9 a 13 h\n"
                "sne,2,Mesero,Fonda La Paz,Narnia,Ven a la fonda de 9 a 13 h\n")
    page.set_input_files("#file", files=[{"name": "ofertas.csv", "mimeType": "text/csv",
                                          "buffer": csv_text.encode()}])
    page.get_by_role("button", name="Upload and import").click()
    report = page.inner_text("#report")
    assert "2 row(s): 1 new, 0 updated, 1 with errors (not imported)" in report
    assert "ofertas.csv: error: line 3: state: use the INEGI code" in report
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{server}/admin/vacancies")
    page.get_by_role("link", name="Cocinero").click()
    assert page.get_by_role("heading", name="Cocinero").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
