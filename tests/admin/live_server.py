"""The admin served by uvicorn on loopback, and Debian's Chromium driven by Playwright (no
browser download): what the browser tests share."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher

from bot.app import App, build_app
from bot.settings import PROJECT_ROOT, Settings
from bot.web.admin.auth import Accounts
from bot.web.app import create_web_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a long staff passphrase"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(folder: Path, accounts: dict[str, str]) -> Iterator[tuple[str, App]]:
    """The whole web app on a free loopback port, with staff `accounts` ({login: role})."""
    settings = Settings.from_mapping({"DATABASE_URL": f"sqlite:///{folder}/admin.db", "CONTENT_DIR": str(PROJECT_ROOT)})
    app = build_app(settings)
    web = create_web_app(app)
    app._web = web  # type: ignore[attr-defined] - tests walk its routes
    # Real argon2id, with test-sized cost as in tests/admin/conftest.py (the default: ~0.5 s a login).
    app.admin.accounts = Accounts(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))  # type: ignore[attr-defined]
    with app.db.transaction() as conn:
        for login, role in accounts.items():
            app.admin.accounts.add(conn, login, role, PASSWORD, "test", dt.datetime.now(dt.UTC))  # type: ignore[attr-defined]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's); skipped where it is not installed, a failure in CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run installs it with apt-get install chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_tab(browser: Any, **context: Any) -> Any:
    """A tab in a fresh context (its own cookies); confirmations are accepted."""
    tab = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context}).new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    tab.set_default_timeout(15_000)
    return tab


def log_in(page: Any, base: str, login: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/admin/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
