"""Every admin route, as anonymous and as every role: login required, the right role, CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.routing import Route

from bot.app import App
from bot.settings import PROJECT_ROOT, Settings
from bot.web.admin.auth import allowed
from db import contacts as contact_store
from db import handoffs, organizations
from tests.admin.conftest import ROLES, StaffClient

# A value for every path parameter an admin route may have; a new parameter must be added here.
SAMPLES = {"flow": "main", "step": "menu", "revision": "1", "staff": "1", "vacancy": "1", "registration": "1",
           "organization": "1", "message": "1", "lang": "ht", "data": "support_places", "item": "sne", "handoff": "1"}
# A harmless valid form per POST route, so an allowed role gets past validation.
FORMS = {
    "/admin/login": {"login": "nobody", "password": "x"},
    "/admin/content/texts": {"back": "/admin/content"},
    "/admin/content/flows/{flow}/steps/{step}/choices": {"op": "up", "choice": "privacy"},
    "/admin/content/flows/{flow}/steps/{step}/fields": {},
    "/admin/publish": {},
    "/admin/simulator/restart": {"content": "live", "language": "es"},
    "/admin/simulator/send": {"text": "hola"},
    "/admin/staff": {"login": "new.person", "role": "viewer"},
    "/admin/staff/{staff:int}": {"op": "unlock"},
    "/admin/logout": {},
    "/admin/publish/discard": {},
    "/admin/revisions/{revision:int}/restore": {},
    "/admin/account": {"current": "wrong", "new": "x", "again": "x"},
    "/admin/account/preferences": {"language": "en", "time_zone": "America/Mexico_City"},
    "/admin/vacancies/{vacancy:int}": {"version": "x", "title": "Albañil"},
    "/admin/vacancies/{vacancy:int}/close": {},
    "/admin/vacancies/{vacancy:int}/reviewed": {},
    "/admin/vacancies/upload": {"source": "sne"},
    "/admin/registrations/export": {"format": "csv"},
    "/admin/registrations": {"state": "07"},
    "/admin/organizations": {"code": "casa-nueva", "name": "Casa Nueva", "kind": "shelter"},
    "/admin/organizations/{organization:int}": {"code": "sample", "name": "Sample shelter", "kind": "shelter"},
    "/admin/unanswered/{message:int}/example": {"intent": "rights.unpaid"},
    "/admin/translations/{lang}": {"back": "/admin/translations/ht?show=review"},
    # A multipart route: without a file it answers 400 to a role that may use it.
    "/admin/translations/{lang}/upload": {},
    "/admin/content/flows/{flow}/structure": {"op": "down", "step": "menu"},
    "/admin/content/flows/{flow}/words": {},
    "/admin/content/flows/{flow}/steps/{step}/words": {"examples:es": "quiero ver el menú principal"},
    "/admin/content/values": {"name": "minimum_wage_general", "value": "315.04", "source": "CONASAMI",
                              "reviewed": "2026-12-05"},
    "/admin/content/data/{data}": {"item": "casa_prueba", "name": "Casa de prueba", "offers": "Albergue.",
                                   "kinds": "shelter", "states": "all", "reviewed": "2026-12-05"},
    "/admin/content/data/{data}/items/{item}": {"name": "SNE", "offers": "Oficinas de empleo.", "kinds": "job",
                                                "states": "all", "reviewed": "2026-12-05"},
    "/admin/handoffs/{handoff:int}/reply": {"text": "Hola, soy Ana del albergue."},
    "/admin/handoffs/{handoff:int}/assign": {"to": "me"},
    "/admin/handoffs/{handoff:int}/note": {"text": "Llamar mañana."},
    "/admin/handoffs/{handoff:int}/close": {"outcome": "answered"},
}
# The conversations of one organization (handoff 1 of SAMPLES is organization 1's).
OWN_HANDOFF = "/admin/handoffs/{handoff:int}"
# Pages of one organization (organization 1 of SAMPLES): its own staff and administrators only.
OWN_ORGANIZATION = "/admin/organizations/{organization:int}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Referral links for both channels, so the poster routes draw."""
    return Settings.from_mapping({"DATABASE_URL": database_url, "CONTENT_DIR": str(PROJECT_ROOT),
                                  "TELEGRAM_BOT_USERNAME": "PuenteMxBot",
                                  "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886"})


@pytest.fixture(autouse=True)
def sample_organization(app: App) -> None:
    """Organization 1 of SAMPLES, and its handoff 1 (a person who arrived with its code)."""
    now = dt.datetime.now(dt.UTC)
    with app.db.transaction() as conn:
        organization = organizations.add(conn, "sample", "Sample shelter", "shelter", now)
        contact = contact_store.find_or_create_contact(conn, "telegram", "4242", now)
        handoffs.insert_handoff(conn, contact.id, organization, "telegram", "es", "main.menu", now)


def admin_routes(app: App) -> list[tuple[str, str, str | None]]:
    found = []
    for route in app._web.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route) and route.path.startswith("/admin"):
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, route.path, route.endpoint.permission))
    return found


def concrete(path: str) -> str:
    for name, value in SAMPLES.items():
        path = path.replace(f"{{{name}:int}}", value).replace(f"{{{name}}}", value)
    assert "{" not in path, f"add a sample value for {path} to SAMPLES"
    return path


def test_every_route_is_declared_and_public_only_for_login(app: App, admin_site: object) -> None:
    routes = admin_routes(app)
    assert len(routes) >= 25
    public = {(m, p) for m, p, permission in routes if permission is None}
    assert public == {("GET", "/admin/login"), ("POST", "/admin/login")}
    for method, path, _ in routes:
        if method == "POST":
            assert path in FORMS, f"add a form for {path} to FORMS"


def test_anonymous_is_sent_to_login_or_refused(app: App, anonymous: StaffClient) -> None:
    for method, path, permission in admin_routes(app):
        if permission is None:
            continue
        url = concrete(path)
        if method == "GET":
            response = anonymous.client.get(url)
            assert response.status_code == 303, url
            assert response.headers["location"].startswith("/admin/login?next=")
        else:
            response = anonymous.client.post(url, data=FORMS[path])
            assert response.status_code == 403, url
            assert "Log in again" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_pages(app: App, staff_of, organization_of, role: str) -> None:  # type: ignore[no-untyped-def]
    staff = staff_of(role)
    organization_of(f"{role}.user", "sample")
    staff.client.follow_redirects = False
    for method, path, permission in admin_routes(app):
        if permission is None or path == "/admin/logout":
            continue
        url = concrete(path)
        if method == "GET":
            response = staff.get(url)
        else:
            response = staff.post(url, FORMS[path])
        if allowed(role, permission):
            assert response.status_code not in (401, 403, 500), (role, method, url, response.text[:500])
        else:
            assert response.status_code == 403, (role, method, url)
            assert "Your role does not allow this page" in response.text
        assert response.headers["content-security-policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("role", ROLES)
def test_staff_of_another_organization_never_reach_its_pages(app: App, staff_of, organization_of, role: str) -> None:  # type: ignore[no-untyped-def]
    staff = staff_of(role)
    other = organization_of(f"{role}.user", "other-shelter")
    staff.client.follow_redirects = False
    walked = 0
    for method, path, permission in admin_routes(app):
        if not path.startswith(OWN_ORGANIZATION) or permission is None:
            continue
        url = concrete(path)
        response = staff.get(url) if method == "GET" else staff.post(url, FORMS[path])
        walked += 1
        if role == "admin":
            assert response.status_code not in (401, 403, 500), (role, method, url)
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)
            assert "Sample shelter" not in response.text
    assert walked >= 4
    # Their own organization's page is theirs to see, and the menu leads there.
    if allowed(role, "organizations.read") and role != "admin":
        listing = staff.get("/admin/organizations")
        assert listing.status_code == 303 and listing.headers["location"] == f"/admin/organizations/{other}"
        own = staff.get(f"/admin/organizations/{other}")
        assert own.status_code == 200 and "Other-Shelter" in own.text
        assert f"/admin/organizations/{other}/poster.pdf?channel=whatsapp" in own.text


def test_a_post_without_the_csrf_token_is_refused(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    response = editor.post("/admin/publish/discard", {}, csrf=False)
    assert response.status_code == 403
    assert "This form has expired" in response.text
    forged = editor.post("/admin/publish/discard", {"csrf": "forged"}, csrf=False)
    assert forged.status_code == 403


def test_a_post_from_another_site_is_refused(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    response = editor.post("/admin/publish/discard", {}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "from another site" in response.text


def test_the_menu_shows_only_what_the_role_may_open(staff_of) -> None:  # type: ignore[no-untyped-def]
    caseworker = staff_of("caseworker").get("/admin").text
    assert 'href="/admin/content"' not in caseworker and 'href="/admin/audit"' not in caseworker
    admin = staff_of("admin").get("/admin").text
    for path in ("/admin/content", "/admin/publish", "/admin/simulator", "/admin/staff", "/admin/audit"):
        assert f'href="{path}"' in admin


def test_static_files_are_served_without_login(anonymous: StaffClient) -> None:
    css = anonymous.client.get("/admin/static/admin.css")
    assert css.status_code == 200 and "--accent" in css.text
    assert anonymous.client.get("/admin/static/admin.js").status_code == 200
    assert anonymous.client.get("/admin/static/../pages/staff.py").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_conversation_of_another_organization_is_never_shown(app: App, staff_of, organization_of, role: str) -> None:  # type: ignore[no-untyped-def]
    """Handoff 1 is Sample shelter's: staff of another organization find nothing there (404,
    not even its existence), administrators reach it; roles without the inbox are refused."""
    staff = staff_of(role)
    organization_of(f"{role}.user", "other-shelter")
    staff.client.follow_redirects = False
    walked = 0
    for method, path, permission in admin_routes(app):
        if not path.startswith(OWN_HANDOFF) or permission is None:
            continue
        url = concrete(path)
        response = staff.get(url) if method == "GET" else staff.post(url, FORMS[path])
        walked += 1
        if role == "admin":
            assert response.status_code not in (401, 403, 404, 500), (role, method, url)
        elif allowed(role, permission):
            assert response.status_code == 404, (role, method, url, response.status_code)
            assert "Sample shelter" not in response.text
        else:
            assert response.status_code == 403, (role, method, url)
    assert walked == 5
    if allowed(role, "handoffs") and role != "admin":
        listing = staff.get("/admin/handoffs")
        assert listing.status_code == 200 and "Sample shelter" not in listing.text
        assert staff.get("/admin/handoffs/count.json").json() == {"open": 0, "waiting": 0}
