"""Every admin page checked with axe-core in Debian's Chromium: no serious or critical
violation, for every role, in Spanish and in English, on a laptop and on a 375 px phone.

axe-core comes from a package (axe-playwright-python ships axe.min.js); the test injects it
into each page itself, so nothing is fetched from the internet. Pages are found by walking the
admin's routes, so a new page is checked without changing this file (give its path parameter a
sample in tests/admin/test_routes_by_role.SAMPLES)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from starlette.routing import Route

from bot.app import App
from bot.content import editing
from bot.content.source import ContentSource
from bot.settings import PROJECT_ROOT
from bot.web.admin.auth import allowed
from db import contacts as contact_store
from db import handoffs
from db.vacancies.flags import add_flag
from tests.admin.live_server import chromium, log_in, new_tab, serving
from tests.admin.test_registration_pages import person
from tests.admin.test_routes_by_role import SAMPLES
from tests.admin.test_vacancy_pages import offer
from tests.test_registration_export import add

pytestmark = pytest.mark.browser

AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
ROLES = ("admin", "editor", "translator", "caseworker", "viewer")
BLOCKING = ("serious", "critical")
WIDTHS = {"laptop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
LOCALES = {"es": "es-MX", "en": "en-US"}


def seed(app: App) -> dict[str, str]:
    """Something on every page: a published revision and a draft, a vacancy with a report, a registration."""
    from bot.vacancies.importer import import_rows
    from bot.vacancies.dates import mexico_today

    now = dt.datetime.now(dt.UTC)
    files = ContentSource.from_directory(PROJECT_ROOT)
    with app.db.transaction() as conn:
        app.revisions.publish(conn, files, "test", "first")
        edited = editing.set_source_text(files, "main.menu.say", "¿En qué te ayudo hoy? Elige una opción:")
        app.revisions.save_draft(conn, edited, "test", "content.edit", {})
    report = import_rows(app.db, [(1, offer("1", "Ayudante de albañil"))], today=mexico_today(), now=now)
    assert not report.errors
    add(app, "1", person("Ana Pérez", "07"), now)
    with app.db.transaction() as conn:
        vacancy = conn.exec_driver_sql("SELECT id FROM vacancies").scalar_one()
        registration = conn.exec_driver_sql("SELECT id FROM registrations").scalar_one()
        add_flag(conn, vacancy, None, "money", now)
        contact = contact_store.find_or_create_contact(conn, "telegram", "4242", now)
        handoff = handoffs.insert_handoff(conn, contact.id, None, "telegram", "es", "main.menu", now)
        handoffs.insert_message(conn, handoffs.get(conn, handoff), handoffs.PERSON, "Necesito ayuda", now)  # type: ignore[arg-type]
    return {**SAMPLES, "vacancy": str(vacancy), "registration": str(registration), "handoff": str(handoff)}


def pages_of(app: App, role: str, samples: dict[str, str]) -> list[str]:
    """Every GET page under /admin that `role` may open, with sample path values."""
    found = []
    for route in app._web.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route) or "GET" not in (route.methods or ()) or not route.path.startswith("/admin"):
            continue
        if route.path.endswith((".csv", ".xlsx", ".png", ".pdf", ".po", ".json")):
            continue  # a download (a file) or the menu's count, not a page
        permission = route.endpoint.permission
        if permission is None or not allowed(role, permission):
            continue
        path = route.path
        for name, value in samples.items():
            path = path.replace(f"{{{name}:int}}", value).replace(f"{{{name}}}", value)
        found.append(path.rstrip("/") or path)
    return sorted(set(found)) + ["/admin/no/such/page"]


def violations(tab: Any) -> list[str]:
    result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])} — {v['help']}"
            for v in result["violations"] if v["impact"] in BLOCKING]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, App, dict[str, str]]]:
    with serving(tmp_path_factory.mktemp("a11y"), {f"{role}.a11y": role for role in ROLES}) as (base, app):
        with app.db.transaction() as conn:  # the translator's workspace with its boxes to fill
            conn.exec_driver_sql("UPDATE staff_users SET languages = 'ht' WHERE role = 'translator'")
        yield base, app, seed(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as found:
        yield found


def check_at_every_width(tab: Any, who: str, path: str) -> list[str]:
    """The page as loaded, at each width in turn (the layout follows the width without a reload)."""
    found = []
    tab.evaluate(AXE)
    for width, size in WIDTHS.items():
        tab.set_viewport_size(size)
        found += [f"{who} {path} ({width}): {v}" for v in violations(tab)]
    return found


# One test per language and role; a role with many pages at two widths may pass 120 s on a busy machine.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("who", ("anonymous",) + ROLES)
@pytest.mark.parametrize("language", list(LOCALES))
def test_no_serious_violation_on_any_page(site, browser, language: str, who: str) -> None:  # type: ignore[no-untyped-def]
    """One test per language and role (each a minute or so in a browser), so xdist spreads them."""
    base, app, samples = site
    problems: list[str] = []
    checked = 0
    tab = new_tab(browser, locale=LOCALES[language])
    if who == "anonymous":
        paths = ["/admin/login", "/admin/no/such/page"]
    else:
        log_in(tab, base, f"{who}.a11y")
        paths = pages_of(app, who, samples)
    for path in paths:
        tab.set_viewport_size(WIDTHS["laptop"])
        tab.goto(base + path)
        assert tab.evaluate("document.documentElement.lang") == language, path
        problems += check_at_every_width(tab, who, path)
        checked += 1
    tab.context.close()
    assert checked >= (2 if who == "anonymous" else 5)
    assert problems == [], "\n".join(problems)
