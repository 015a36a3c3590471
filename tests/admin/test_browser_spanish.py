"""The admin as Mexican staff meet it, in Debian's Chromium: Spanish for an es-MX browser,
English by choice on the account page, times in Mexico City; the menu reached with the keyboard
on a phone; the registrations filter kept across a record and the browser's Back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bot.app import App
from bot.content.source import ContentSource
from bot.settings import PROJECT_ROOT
from tests.admin.live_server import chromium, log_in, new_tab, serving
from tests.admin.test_registration_pages import person
from tests.test_registration_export import add

# One Chromium for the module (each test in a fresh context, its own cookies), its tests on one
# xdist worker: a launch is ~2 s.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_browser_spanish")]

PUBLISHED_AT = dt.datetime(2026, 6, 1, 18, 30, tzinfo=dt.UTC)  # 12:30 in Mexico City (UTC-6)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, App]]:
    with serving(tmp_path, {"lucia": "admin", "rosa": "caseworker"}) as (base, app):
        app.revisions.clock = lambda: PUBLISHED_AT
        with app.db.transaction() as conn:
            app.revisions.publish(conn, ContentSource.from_directory(PROJECT_ROOT), "lucia", "primera")
        now = dt.datetime.now(dt.UTC)
        add(app, "1", person("Wilnor Jean-Baptiste", "07"), now - dt.timedelta(days=3))
        add(app, "2", person("Ana Pérez", "07"), now - dt.timedelta(days=2))
        add(app, "3", person("Rosa Díaz", "19"), now - dt.timedelta(days=1))
        yield base, app


def text(page: Any, selector: str) -> str:
    """What a person reads: Babel writes a narrow no-break space before "p.m."."""
    return page.inner_text(selector).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as found:
        yield found


@pytest.fixture(autouse=True)
def _tabs_closed(browser: Any) -> Iterator[None]:
    """The tabs a test opened are closed after it (the next test's start fresh)."""
    yield
    for context in browser.contexts:
        context.close()


def test_spanish_for_a_mexican_browser_english_by_choice_times_in_mexico_city(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = new_tab(browser, locale="es-MX")
    page.goto(f"{base}/admin")
    assert page.url.startswith(f"{base}/admin/login")
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.get_by_role("heading", name="Iniciar sesión").is_visible()
    page.fill("#login", "lucia")
    page.fill("#password", "wrong password here")
    page.get_by_role("button", name="Iniciar sesión").click()
    assert "Usuario o contraseña incorrectos." in page.inner_text("main")
    log_in(page, base, "lucia")
    assert page.get_by_role("heading", name="Tablero").is_visible()
    page.goto(f"{base}/admin/revisions")
    history = text(page, "table")
    assert "1 jun 2026, 12:30 p.m." in history and "18:30" not in history  # Mexico City, not UTC

    page.goto(f"{base}/admin/account")
    page.select_option("#language", "en")
    page.get_by_role("button", name="Guardar mis preferencias").click()
    # Locator assertions wait for the page the form posts to (an evaluate right after the click
    # may run while the next document is loading and find no <html> yet).
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Your language and time zone were saved.")
    assert page.get_by_role("heading", name="My account").is_visible()
    page.goto(f"{base}/admin/revisions")
    assert "Jun 1, 2026, 12:30 PM" in text(page, "table")

    page.goto(f"{base}/admin/account")
    page.select_option("#time_zone", "UTC")
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.locator("main")).to_contain_text("Your language and time zone were saved.")  # before leaving
    page.goto(f"{base}/admin/revisions")
    assert "Jun 1, 2026, 6:30 PM" in text(page, "table")


def test_the_phone_menu_is_reached_and_opened_with_the_keyboard(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = new_tab(browser, locale="es-MX", viewport={"width": 375, "height": 740})
    log_in(page, base, "lucia")
    nav = page.locator("header nav")
    assert not nav.is_visible()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Tab")  # the brand link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "menu-button"
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Enter")
    assert nav.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Tablero"
    for _ in range(3):
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('nav') !== null")
    assert focused  # Tab walks the menu's links
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-button"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the first link: the dashboard
    assert page.get_by_role("heading", name="Tablero").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_filter_is_kept_across_a_record_and_back_without_resending(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _app = site
    page = new_tab(browser, locale="es-MX")
    log_in(page, base, "rosa")
    page.goto(f"{base}/admin/registrations")
    page.fill("#name", "pérez")
    page.get_by_role("button", name="Filtrar").click()
    assert page.url == f"{base}/admin/registrations"  # the name never sits in an address
    rows = page.inner_text("tbody")
    assert "Ana Pérez" in rows and "Wilnor" not in rows and "Rosa Díaz" not in rows
    page.get_by_role("link", name="Ana Pérez").click()
    assert page.inner_text("h1").startswith("Registro ")
    page.go_back()  # no "Confirm form resubmission": the list was a GET
    assert page.url == f"{base}/admin/registrations"
    rows = page.inner_text("tbody")
    assert "Ana Pérez" in rows and "Wilnor" not in rows
    assert page.input_value("#name") == "pérez"
    page.get_by_role("link", name="Ana Pérez").click()
    page.get_by_role("link", name="← Registros").click()
    assert "Wilnor" not in page.inner_text("tbody")
    page.reload()  # a GET again: nothing is resent
    assert "Wilnor" not in page.inner_text("tbody")
    page.get_by_role("button", name="Mostrar todos").click()
    rows = page.inner_text("tbody")
    assert "Wilnor" in rows and "Rosa Díaz" in rows
    history = page.evaluate("performance.getEntriesByType('navigation').map(e => e.name)")
    assert all("rez" not in url for url in history)
