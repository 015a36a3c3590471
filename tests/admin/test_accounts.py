"""Logging in: argon2 passwords, lockout, session expiry and revocation, cookie flags, audit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.app import App
from bot.web.admin.auth import MAX_FAILED_LOGINS, SESSION_IDLE, SESSION_MAX
from bot.web.admin.site import Admin
from db import audit
from db.admin import staff_sessions, staff_users
from tests.admin.conftest import PASSWORD, StaffClient


def actions(app: App) -> list[str]:
    with app.db.transaction() as conn:
        return [e["action"] for e in audit.entries(conn)]


def test_login_sets_a_strict_http_only_cookie_and_only_a_hash_is_stored(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    cookie = next(c for c in editor.client.cookies.jar if c.name == "puente_admin")
    assert cookie.path == "/admin"
    assert cookie.has_nonstandard_attr("HttpOnly")
    with app.db.transaction() as conn:
        stored = conn.execute(select(staff_sessions.c.token_hash)).scalars().all()
        hashes = conn.execute(select(staff_users.c.password_hash)).scalars().all()
    assert cookie.value not in stored and len(stored) == 1
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert "staff.login" in actions(app)


def test_wrong_password_and_unknown_login_get_the_same_answer(app: App, staff_of, anonymous: StaffClient) -> None:  # type: ignore[no-untyped-def]
    staff_of("viewer")
    anonymous.get("/admin/login")
    wrong = anonymous.post("/admin/login", {"login": "viewer.user", "password": "nope"})
    anonymous.get("/admin/login")
    unknown = anonymous.post("/admin/login", {"login": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert "Wrong login or password." in wrong.text and "Wrong login or password." in unknown.text
    assert "puente_admin" not in anonymous.client.cookies


def test_repeated_failures_lock_the_account_until_an_admin_unlocks_it(app: App, staff_of, anonymous: StaffClient) -> None:  # type: ignore[no-untyped-def]
    boss = staff_of("admin")
    staff_of("editor")
    for _ in range(MAX_FAILED_LOGINS):
        anonymous.get("/admin/login")
        response = anonymous.post("/admin/login", {"login": "editor.user", "password": "guess"})
    assert "locked" in response.text
    anonymous.get("/admin/login")
    right = anonymous.post("/admin/login", {"login": "editor.user", "password": PASSWORD})
    assert right.status_code == 400 and "locked" in right.text  # even the right password
    assert "staff.locked" in actions(app)
    with app.db.transaction() as conn:
        editor_id = conn.execute(select(staff_users.c.id).where(staff_users.c.login == "editor.user")).scalar_one()
    boss.get("/admin/staff")
    boss.post(f"/admin/staff/{editor_id}", {"op": "unlock"})
    anonymous.get("/admin/login")
    assert anonymous.post("/admin/login", {"login": "editor.user", "password": PASSWORD}).status_code == 303


def test_sessions_expire_when_idle_and_after_the_maximum(app: App, staff_of, admin_site: Admin) -> None:  # type: ignore[no-untyped-def]
    start = dt.datetime.now(dt.UTC)
    admin_site.clock = lambda: start
    viewer = staff_of("viewer")
    viewer.client.follow_redirects = False
    admin_site.clock = lambda: start + SESSION_IDLE - dt.timedelta(minutes=1)
    assert viewer.get("/admin").status_code == 200
    admin_site.clock = lambda: start + SESSION_IDLE * 2 - dt.timedelta(minutes=2)
    assert viewer.get("/admin").status_code == 200  # still active: the idle time restarted
    admin_site.clock = lambda: start + SESSION_MAX + dt.timedelta(seconds=1)
    assert viewer.get("/admin").status_code == 303  # past the maximum whatever the activity
    other = staff_of("viewer")
    other.client.follow_redirects = False
    admin_site.clock = lambda: start + SESSION_MAX + SESSION_IDLE + dt.timedelta(minutes=5)
    assert other.get("/admin").status_code == 303


def test_logout_revokes_the_session_on_the_server(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    stolen = dict(editor.client.cookies)
    editor.get("/admin")
    editor.post("/admin/logout")
    editor.client.cookies.update(stolen)  # a copied cookie is worthless after logout
    editor.client.follow_redirects = False
    assert editor.get("/admin").status_code == 303
    assert "staff.logout" in actions(app)


def test_disabling_or_changing_role_ends_the_sessions(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    boss = staff_of("admin")
    editor = staff_of("editor")
    editor.client.follow_redirects = False
    with app.db.transaction() as conn:
        editor_id = conn.execute(select(staff_users.c.id).where(staff_users.c.login == "editor.user")).scalar_one()
    boss.get("/admin/staff")
    boss.post(f"/admin/staff/{editor_id}", {"op": "disable"})
    assert editor.get("/admin").status_code == 303
    assert editor.login("editor.user").status_code == 400


def test_admin_adds_staff_with_a_password_shown_once(app: App, staff_of, anonymous: StaffClient) -> None:  # type: ignore[no-untyped-def]
    boss = staff_of("admin")
    boss.get("/admin/staff")
    page = boss.post("/admin/staff", {"login": "Maria.Lopez", "role": "editor"})
    assert "Password for <strong>maria.lopez</strong>" in page.text
    password = page.text.split('<code class="password">')[1].split("</code>")[0]
    assert password not in boss.get("/admin/staff").text
    anonymous.get("/admin/login")
    assert anonymous.post("/admin/login", {"login": "maria.lopez", "password": password}).status_code == 303
    refused = boss.post("/admin/staff", {"login": "maria.lopez", "role": "editor"})
    assert refused.status_code == 400 and "already an account" in refused.text
    bad = boss.post("/admin/staff", {"login": "<script>", "role": "editor"})
    assert bad.status_code == 400 and "&lt;script&gt;" not in bad.text.split("<main>")[1].split("</table>")[0]


def test_login_never_redirects_to_another_site(app: App, staff_of, anonymous: StaffClient) -> None:  # type: ignore[no-untyped-def]
    staff_of("viewer")
    for target in ("https://evil.example/", "//evil.example/admin", "/admin\\@evil.example"):
        anonymous.get("/admin/login")
        response = anonymous.post("/admin/login", {"login": "viewer.user", "password": PASSWORD, "next": target})
        assert response.headers["location"] == "/admin", target
        anonymous.client.cookies.clear()


def test_a_staff_member_changes_their_own_password(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer")
    viewer.get("/admin/account")
    short = viewer.post("/admin/account", {"current": PASSWORD, "new": "short", "again": "short"})
    assert short.status_code == 400 and "at least 12" in short.text
    done = viewer.post("/admin/account", {"current": PASSWORD, "new": "a much longer passphrase", "again": "a much longer passphrase"})
    assert "Password changed" in done.text
    assert viewer.login("viewer.user", "a much longer passphrase").status_code == 200
