"""Posters in a real browser (Debian's Chromium through Playwright, as test_browser.py): an
administrator adds an organization, downloads its WhatsApp poster as PDF and its Telegram
poster as PNG, and each QR code decodes to that organization's link; a caseworker of another
organization is refused the same download."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from bot.app import build_app
from bot.settings import PROJECT_ROOT, Settings
from bot.web.app import create_web_app
from db import organizations
from db import staff as staff_store
from tests.admin.live_server import chromium, free_port
from tests.support.qr import codes_in_pdf, codes_in_png, pdf_text

pytestmark = pytest.mark.browser

PASSWORD = "a long staff passphrase"
WHATSAPP_LINK = "https://wa.me/14155238886?text=Hola%2C%20vengo%20de%20%23casa-tochan"
TELEGRAM_LINK = "https://t.me/PuenteMxBot?start=casa-tochan"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    settings = Settings.from_mapping({
        "DATABASE_URL": f"sqlite:///{tmp_path}/admin.db", "CONTENT_DIR": str(PROJECT_ROOT),
        "TELEGRAM_BOT_USERNAME": "PuenteMxBot", "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886",
    })
    app = build_app(settings)
    web = create_web_app(app)
    now = dt.datetime.now(dt.UTC)
    with app.db.transaction() as conn:
        app.admin.accounts.add(conn, "ana", "admin", PASSWORD, "test", now)  # type: ignore[attr-defined]
        app.admin.accounts.add(conn, "otto", "caseworker", PASSWORD, "test", now)  # type: ignore[attr-defined]
        other = organizations.add(conn, "otra-casa", "Otra casa", "ngo", now)
        staff_store.change(conn, staff_store.by_login(conn, "otto").id, organization_id=other)  # type: ignore[union-attr]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.close()


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def log_in(browser, base: str, login: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.goto(f"{base}/admin/login")
    tab.fill("#login", login)
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{base}/admin")
    return tab


def download(tab, link_name: str, nth: int) -> bytes:  # type: ignore[no-untyped-def]
    with tab.expect_download() as started:
        tab.get_by_role("link", name=link_name).nth(nth).click()
    return Path(started.value.path()).read_bytes()


def test_a_downloaded_poster_decodes_to_the_organizations_link(browser, server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = log_in(browser, server, "ana")
    tab.get_by_role("link", name="Organizations").click()
    tab.get_by_role("link", name="Add as an organization").first.wait_for()
    tab.fill("#name", "Casa Tochan")
    tab.fill("#code", "casa-tochan")
    tab.select_option("#kind", "shelter")
    tab.select_option("#place", "casa_tochan")
    tab.get_by_role("button", name="Add the organization").click()
    assert "The organization was saved." in tab.inner_text("main")
    assert tab.input_value("#link-whatsapp") == WHATSAPP_LINK
    assert tab.input_value("#link-telegram") == TELEGRAM_LINK
    tab.screenshot(path=str(tmp_path / "organization.png"), full_page=True)
    poster_url = tab.get_by_role("link", name="Poster (PNG)").nth(1).get_attribute("href")

    # WhatsApp first on the page, then Telegram.
    pdf = download(tab, "Poster (PDF, A4)", 0)
    assert codes_in_pdf(pdf) == [WHATSAPP_LINK]
    assert "Casa Tochan" in pdf_text(pdf) and "Hola, vengo de #casa-tochan" in pdf_text(pdf)
    png = download(tab, "Poster (PNG)", 1)
    assert codes_in_png(png) == [TELEGRAM_LINK]

    # The network figures open for the new organization (nothing to count yet).
    tab.get_by_role("link", name="Network").click()
    assert "Casa Tochan" in tab.inner_text("table")

    # A caseworker of another organization gets neither the page nor the poster.
    other = log_in(browser, server, "otto")
    other.get_by_role("link", name="Organizations").click()
    assert other.get_by_role("heading", name="Otra casa").is_visible()
    refused = other.request.get(f"{server}{poster_url}")
    assert refused.status == 403 and not refused.body().startswith(b"\x89PNG")
