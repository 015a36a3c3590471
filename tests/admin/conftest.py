"""Fixtures for the web admin: the real web app in process, and staff of every role."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from jinja2 import Environment
from starlette.testclient import TestClient

from bot.app import App
from bot.web.admin.auth import Accounts
from bot.web.admin.site import Admin
from bot.web.app import create_web_app

PASSWORD = "correct horse battery"
ROLES = ("admin", "editor", "translator", "caseworker", "viewer")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class StaffClient:
    """A browser in process: keeps cookies, finds the CSRF token on the last page."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def get(self, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        response = self.client.get(path, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, str] | None = None, *, csrf: bool = True, **kwargs: object):  # type: ignore[no-untyped-def]
        fields = dict(data or {})
        if csrf:
            fields.setdefault("csrf", self.csrf)
        response = self.client.post(path, data=fields, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def login(self, login: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        self.get("/admin/login")
        response = self.post("/admin/login", {"login": login, "password": password, "next": "/admin"})
        if response.status_code == 200 and "/admin/login" not in str(response.url):
            self.get("/admin/account")
        return response


@pytest.fixture(scope="session")
def _admin_templates() -> dict[str, Environment]:
    """The first admin's page templates, kept for the next admins of this test process."""
    return {}


@pytest.fixture
def admin_site(app: App, _admin_templates: dict[str, Environment]) -> Admin:
    web = create_web_app(app)
    app._web = web  # type: ignore[attr-defined]
    site: Admin = app.admin  # type: ignore[attr-defined]
    # Real argon2id, with test-sized cost (production keeps argon2-cffi's defaults: ~0.5 s here).
    site.accounts = Accounts(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    # The same Jinja environment (it holds no per-app state) with its pages compiled once per
    # process instead of once per test.
    site.templates = _admin_templates.setdefault("environment", site.templates)
    return site


@pytest.fixture
def staff_of(app: App, admin_site: Admin):  # type: ignore[no-untyped-def]
    """staff_of(role) -> a logged-in StaffClient; accounts are created once per test.

    The admin speaks Spanish unless asked otherwise: these accounts chose English (`language`),
    so tests read the English of the code; tests of the Spanish admin pass language=None."""
    clients: list[TestClient] = []

    def make(role: str, login: str | None = None, language: str | None = "en",
             translates: str | None = "ht") -> StaffClient:
        """`translates`: the languages of a translator's account (Haitian Creole unless told)."""
        login = login or f"{role}.user"
        with app.db.transaction() as conn:
            from db import staff as store

            if store.by_login(conn, login) is None:
                admin_site.accounts.add(conn, login, role, PASSWORD, "test", dt.datetime.now(dt.UTC))
            store.change(conn, store.by_login(conn, login).id, language=language,  # type: ignore[union-attr]
                         languages=translates if role == "translator" else None)
        client = TestClient(app._web, follow_redirects=True)  # type: ignore[attr-defined]
        clients.append(client)
        staff = StaffClient(client)
        response = staff.login(login)
        assert response.status_code == 200, response.text
        return staff

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(app: App, admin_site: Admin) -> Iterator[StaffClient]:
    """Someone not logged in, whose browser asks for English."""
    with TestClient(app._web, follow_redirects=False, headers={"Accept-Language": "en-US,en;q=0.9"}) as client:  # type: ignore[attr-defined]
        yield StaffClient(client)


@pytest.fixture
def organization_of(app: App, admin_site: Admin):  # type: ignore[no-untyped-def]
    """organization_of(login, code) puts a staff account in an organization, made when missing."""
    from db import organizations
    from db import staff as store

    def put(login: str, code: str) -> int:
        now = dt.datetime.now(dt.UTC)
        with app.db.transaction() as conn:
            found = organizations.by_code(conn, code)
            organization_id = found.id if found else organizations.add(conn, code, code.title(), "shelter", now)
            person = store.by_login(conn, login)
            assert person is not None, login
            store.change(conn, person.id, organization_id=organization_id)
        return organization_id

    return put
