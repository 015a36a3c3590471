"""How long the staff admin's pages take, each beside the dashboard's figure (the same run).

    PYTHONPATH=. .venv/bin/python -m bench.admin_pages [--rounds 15] [DATABASE_URL]

The real web app in process (Starlette's test client, no network), on a temporary SQLite file
unless a database URL is given; an administrator logged in; a draft with one changed text, so
the content pages show the draft (the case staff meet while editing) and the publish page has
something to compare. Each page is asked for `rounds` times after one warm-up request; the
table gives the median and the slowest, and the median as a multiple of the dashboard's. The
last row is the first view of a step page right after the draft changed (the pack is parsed
again once per change)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import tempfile
import time

from argon2 import PasswordHasher
from starlette.testclient import TestClient

from bot.app import build_app
from bot.content import editing
from bot.content.source import ContentSource
from bot.settings import PROJECT_ROOT, Settings
from bot.web.admin.auth import Accounts
from bot.web.app import create_web_app

PASSWORD = "a long bench passphrase"
PAGES = (
    ("dashboard", "/admin"),
    ("content", "/admin/content"),
    ("flow: rights", "/admin/content/flows/rights"),
    ("step: rights.menu", "/admin/content/flows/rights/steps/menu"),
    ("step: privacy.summary", "/admin/content/flows/privacy/steps/summary"),
    ("system messages", "/admin/content/system"),
    ("publish (draft vs live)", "/admin/publish"),
    ("history", "/admin/revisions"),
    ("revision r1", "/admin/revisions/1"),
    ("simulator", "/admin/simulator"),
    ("vacancies", "/admin/vacancies"),
    ("registrations", "/admin/registrations"),
    ("audit log", "/admin/audit"),
    ("my account", "/admin/account"),
)


def timings(client: TestClient, path: str, rounds: int) -> list[float]:
    assert client.get(path).status_code == 200, path
    found = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        found.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    return found


def after_a_change(client: TestClient, app, files: ContentSource, rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    found = []
    for i in range(rounds):
        edited = editing.set_translation(files, "fr", "privacy.summary.say", f"Texte du banc d'essai, version {i}.")
        with app.db.transaction() as conn:
            app.revisions.save_draft(conn, edited, "bench", "content.edit", {})
        started = time.perf_counter()
        response = client.get("/admin/content/flows/privacy/steps/summary")
        found.append(time.perf_counter() - started)
        assert response.status_code == 200 and f"version {i}." in response.text
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default=f"sqlite:///{tempfile.mkdtemp()}/admin-bench.db")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    app = build_app(Settings.from_mapping({"DATABASE_URL": args.url, "CONTENT_DIR": str(PROJECT_ROOT)}))
    web = create_web_app(app)
    admin = app.admin  # type: ignore[attr-defined]
    admin.accounts = Accounts(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    now = dt.datetime.now(dt.UTC)
    files = ContentSource.from_directory(PROJECT_ROOT)
    with app.db.transaction() as conn:
        admin.accounts.add(conn, "bench", "admin", PASSWORD, "bench", now)
        app.revisions.publish(conn, files, "bench", "bench")
        edited = editing.set_translation(files, "fr", "privacy.summary.say", "Texte du banc d'essai.")
        app.revisions.save_draft(conn, edited, "bench", "content.edit", {})
    with TestClient(web) as client:
        page = client.get("/admin/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        client.post("/admin/login", data={"login": "bench", "password": PASSWORD, "csrf": csrf, "next": "/admin"})
        results = [(name, timings(client, path, args.rounds)) for name, path in PAGES]
        results.append(("step, first view after a change", after_a_change(client, app, files, max(3, args.rounds // 3))))
    app.close()
    base = statistics.median(results[0][1])
    print(f"database: {args.url.split(':')[0]}; {args.rounds} requests a page after one warm-up")
    print(f"{'page':<34}{'median':>10}{'slowest':>10}{'x dashboard':>13}")
    for name, samples in results:
        median = statistics.median(samples)
        print(f"{name:<34}{median * 1e3:>8.1f} ms{max(samples) * 1e3:>7.1f} ms{median / base:>12.1f}x")


if __name__ == "__main__":
    main()
