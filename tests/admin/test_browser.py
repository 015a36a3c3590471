"""The admin in a real browser: Debian's Chromium driven by Playwright (no browser download).

Log in, edit a Haitian Creole text, see the validator refuse a broken edit, publish, see the
change in the simulator, restore the earlier revision."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from bot.app import build_app
from bot.engine import CompiledContent
from bot.settings import PROJECT_ROOT, Settings
from bot.web.admin.auth import Accounts
from bot.web.app import create_web_app
from tests.support.databases import fresh_sqlite
from tests.support.serving import ServerThread

# One worker runs them all (pytest-xdist --dist loadgroup), so Chromium starts once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a long staff passphrase"
HT = 'textarea[name="ht:privacy.summary.say"]'


@pytest.fixture
def server(tmp_path: Path, _sqlite_template: Path, content: CompiledContent) -> Iterator[str]:
    settings = Settings.from_mapping(
        {"DATABASE_URL": fresh_sqlite(_sqlite_template, tmp_path), "CONTENT_DIR": str(PROJECT_ROOT)}
    )
    app = build_app(settings, migrate=False, content=content)
    web = create_web_app(app)
    # Real argon2id, with test-sized cost as in tests/admin/conftest.py (the default: ~0.5 s a login).
    app.admin.accounts = Accounts(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))  # type: ignore[attr-defined]
    with app.db.transaction() as conn:
        app.admin.accounts.add(conn, "edith", "editor", PASSWORD, "test", dt.datetime.now(dt.UTC))  # type: ignore[attr-defined]
    with ServerThread(web) as served:
        yield served.url
    app.close()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """One Chromium for the tests of this module (they share a pytest-xdist worker); each test
    gets a fresh context, with no cookies or storage from the one before."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run installs it with apt-get install chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())  # the "Publish?" / "Restore?" confirmations
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def edit_creole(page, base: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/admin/content")
    page.get_by_role("link", name="Mis datos y privacidad").click()
    page.get_by_role("link", name="summary").click()
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
    # A broken edit: a button that jumps nowhere. The validator refuses it with file, line and fix.
    page.goto(f"{server}/admin/content/flows/main/steps/menu")
    page.fill('input[aria-label="Where \'privacy\' goes"]', "privacyy")
    page.locator("form:has(input[aria-label=\"Where 'privacy' goes\"]) button").click()
    page.goto(f"{server}/admin/publish")
    page.get_by_role("button", name="Publish").click()
    problems = page.inner_text(".error")
    assert "nothing was published" in problems
    assert "dialogs/main.yaml, line" in problems and "'privacyy', which does not exist" in problems
    assert "How to fix: did you mean 'privacy'" in problems
    page.goto(f"{server}/admin/content/flows/main/steps/menu")
    page.fill('input[aria-label="Where \'privacy\' goes"]', "privacy")
    page.locator("form:has(input[aria-label=\"Where 'privacy' goes\"]) button").click()
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
    page.goto(f"{server}/admin/login")
    page.fill("#login", "edith")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{server}/admin/content/flows/privacy/steps/summary")
    # Languages stack: nothing wider than the screen, the menu folds behind a button.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not page.locator("header nav").get_by_role("link", name="Simulator").is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert page.locator("header nav").get_by_role("link", name="Simulator").is_visible()
    page.screenshot(path=str(Path(os.environ.get("PUENTE_SCREENSHOTS", "/tmp")) / "admin-phone.png"), full_page=False)


def test_upload_a_vacancy_file_and_read_the_report_on_a_phone(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{server}/admin/login")
    page.fill("#login", "edith")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
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
