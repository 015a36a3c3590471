"""Every admin page checked with axe-core in Debian's Chromium: no serious or critical
violation, for every role, in Spanish and in English, on a laptop and on a 375 px phone.

axe-core comes from a package (axe-playwright-python ships axe.min.js); the test adds it to
every page itself, so nothing is fetched from the internet. Pages are found by walking the
admin's routes, so a new page is checked without changing this file (give its path parameter a
sample in tests/admin/test_routes_by_role.SAMPLES).

Each piece of markup is checked in full once, not once per role that sees it: a page is made of
the role's menu (the same on all its pages but for which link is current) and the page's own
`<main>`, which is often the same for several roles. Roles are walked in the order of ROLES,
the administrator (who sees every page) first: a role's page whose `<main>` is the same as a
role's before it (the viewer's read-only forms are the translator's) and whose menu was checked
already gets only the rules about the document as a whole (ids, landmarks, headings, title,
language, labels pointing across parts), at one width, since that combination of menu and
content is new but each part was checked in full, at both widths, by the first role to show it.
In English, the first role to show a page's `<main>` checks it with the rules that read words
or depend on their length (names, labels, empty headings, the title, language attributes,
target sizes, overflow) when its markup is the Spanish page's but for its words (the same tags
and attributes once texts, labels and titles are left out), since everything else about that
markup was checked in Spanish; otherwise in full."""

from __future__ import annotations

import datetime as dt
import re
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
from tests.admin.live_server import PASSWORD, chromium, log_in, new_tab, serving
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
ASKING = {language: {"Accept-Language": locale} for language, locale in LOCALES.items()}  # a request is no tab


def seed(app: App) -> dict[str, str]:
    """Something on every page: a published revision and a draft, a vacancy with a report, a registration."""
    from bot.vacancies.importer import import_rows
    from bot.days import mexico_today

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


# The page's title and the language its parts say they are in: about the whole document, and
# about its words.
TITLE_AND_LANGUAGE = ["document-title", "html-has-lang", "html-lang-valid", "html-xml-lang-mismatch", "valid-lang"]
# Rules about the document as a whole rather than one part of it: they run on every page, even
# when its menu and its content were each checked in full on other pages.
WHOLE_DOCUMENT = [*TITLE_AND_LANGUAGE,
                  "meta-viewport", "meta-refresh", "bypass", "region", "page-has-heading-one", "heading-order",
                  "landmark-one-main", "landmark-unique", "landmark-no-duplicate-banner", "landmark-no-duplicate-main",
                  "landmark-no-duplicate-contentinfo", "landmark-banner-is-top-level", "landmark-main-is-top-level",
                  "duplicate-id", "duplicate-id-aria", "duplicate-id-active", "aria-valid-attr-value", "label",
                  "form-field-multiple-labels", "aria-hidden-body", "td-headers-attr"]
# Rules whose outcome depends on the words of a page (a name may be empty in one language, a
# longer word makes a target or a box bigger): they run on a page in a second language whose
# markup is otherwise the same as in the first.
WORDS = [*TITLE_AND_LANGUAGE,
         "button-name", "link-name", "input-button-name", "input-image-alt", "image-alt", "select-name",
         "summary-name", "label", "label-title-only", "aria-command-name", "aria-input-field-name",
         "aria-toggle-field-name", "aria-meter-name", "aria-progressbar-name", "aria-tooltip-name",
         "aria-dialog-name", "empty-heading", "empty-table-header", "frame-title", "svg-img-alt", "role-img-alt",
         "object-alt", "area-alt", "target-size", "scrollable-region-focusable", "page-has-heading-one"]
FIRST = "es"  # the staff's language: English pages are compared with it
# axe.run in the page, answering only what the test reports (the full result is large to carry).
RUN = """([options, blocking]) => axe.run(document, options).then(result => result.violations
  .filter(v => blocking.includes(v.impact))
  .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => String(n.target)).join(', ')} — ${v.help}`))"""
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
HEADER = re.compile(r"<header\b.*</header>", re.S)
MAIN = re.compile(r"<main>.*</main>", re.S)


TEXT = re.compile(r">[^<]+<")
WORDY = re.compile(r'\b(aria-label|title|placeholder|alt|value|data-confirm|datetime)="[^"]*"')


def markup(html: str) -> str:
    """A page's menu and content without their words: what two languages of it share."""
    return WORDY.sub(r'\1=""', TEXT.sub("><", "".join(parts(html))))


def parts(html: str) -> tuple[str, str]:
    """(menu, content) of a page's HTML, the `<header>` and the `<main>`, without what changes
    from one request to the next (the CSRF token) or from one page of the role to another (which
    menu link is the current page). The `<head>` (title, viewport) is the whole-document rules'."""
    html = re.sub(r'name="csrf" value="[^"]*"', 'name="csrf"', html)
    header, main = HEADER.search(html), MAIN.search(html)
    return (header.group(0).replace(' aria-current="page"', "") if header else "",
            main.group(0) if main else "")


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


def check(tab: Any, who: str, path: str, rules: list[str] | None, widths: int = len(WIDTHS)) -> list[str]:
    """The page as loaded, at `widths` widths in turn (the layout follows the width without a
    reload), starting with the width it was loaded at: every rule, or only `rules`."""
    found = []
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules is not None:
        options["runOnly"] = rules
    loaded = tab.viewport_size
    for width, size in sorted(WIDTHS.items(), key=lambda item: item[1] != loaded)[:widths]:
        if size != tab.viewport_size:
            tab.set_viewport_size(size)
        found += [f"{who} {path} ({width}): {v}" for v in tab.evaluate(RUN, [options, BLOCKING])]
    return found


def tab_of(browser: Any, base: str, language: str, who: str) -> Any:
    tab = new_tab(browser, locale=LOCALES[language])
    tab.context.add_init_script(AXE)  # in every page before its own scripts; no evaluate per page
    if who != "anonymous":
        log_in(tab, base, f"{who}.a11y")
    return tab


def session_of(browser: Any, base: str, who: str) -> Any:
    """A role's session without a tab, to read the pages it is shown (the login form posted by
    a request: a page is rendered only where axe checks it)."""
    context = browser.new_context()
    login = context.request.get(f"{base}/admin/login").text()
    form = {"csrf": CSRF.search(login).group(1), "login": f"{who}.a11y", "password": PASSWORD}  # type: ignore[union-attr]
    assert context.request.post(f"{base}/admin/login", form=form).url.endswith("/admin"), who
    return context


# One test per language and role; a role with many pages at two widths may pass 120 s on a busy machine.
@pytest.mark.timeout(300)
@pytest.mark.parametrize("who", ("anonymous",) + ROLES)
@pytest.mark.parametrize("language", list(LOCALES))
def test_no_serious_violation_on_any_page(site, browser, language: str, who: str) -> None:  # type: ignore[no-untyped-def]
    """One test per language and role, so xdist spreads them."""
    base, app, samples = site
    problems: list[str] = []
    full = partial = 0
    tab = tab_of(browser, base, language, who)
    # The roles before this one, to tell content one of them shows too (checked in full there).
    before = [session_of(browser, base, role) for role in ROLES[:ROLES.index(who)]] if who in ROLES else []
    menus: set[str] = set()
    paths = ["/admin/login", "/admin/no/such/page"] if who == "anonymous" else pages_of(app, who, samples)
    for path in paths:  # each page loads at the width the one before was left at
        html = tab.goto(base + path).text()
        menu, content = parts(html)
        assert tab.evaluate("document.documentElement.lang") == language, path
        if menu in menus and any(parts(earlier.request.get(base + path, headers=ASKING[language]).text())[1] == content
                                 for earlier in before):
            problems += check(tab, who, path, WHOLE_DOCUMENT, widths=1)
            partial += 1
            continue
        menus.add(menu)
        rules = None
        if language != FIRST:  # the same page as this role sees it in the first language
            first = tab.context.request.get(base + path, headers=ASKING[FIRST]).text()
            rules = None if markup(first) != markup(html) else WORDS
        problems += check(tab, who, path, rules)
        full += 1
    for context in (tab.context, *before):
        context.close()
    assert full >= (2 if who == "anonymous" else 5 if who == "admin" else 1), (full, partial)
    assert problems == [], "\n".join(problems)
