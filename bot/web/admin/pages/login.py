"""Logging in and out: the only pages open to someone not logged in."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.routing import Route

from bot.web.admin.auth import LoginRefused
from bot.web.admin.site import COOKIE, LOGIN_COOKIE, PREFIX, Admin, Visit
from db import audit
from db import staff as store


def safe_next(target: str) -> str:
    """Only a path inside the admin: a login link cannot send staff to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX) or "\\" in target:
        return PREFIX
    return target


def routes(admin: Admin) -> list[Route]:
    def form(visit: Visit, status: int = 200, error: str = "") -> Response:
        token = admin.new_login_token()
        response = admin.render(visit, "login.html", status=status, login_csrf=token, error=error,
                                next=safe_next(visit.request.query_params.get("next", PREFIX)[:300]))
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict",
                            secure=admin.secure_cookies, path=PREFIX)
        return response

    async def login_page(visit: Visit) -> Response:
        if visit.staff is not None:
            return admin.redirect("")
        return form(visit)

    async def login(visit: Visit) -> Response:
        name = visit.form.get("login", limit=64)
        password = visit.form.get("password", limit=256)
        with admin.db.transaction() as conn:
            # Caught inside the transaction: the failure count and lockout must be committed.
            try:
                staff = admin.accounts.login(conn, name, password, admin.clock())
            except LoginRefused as refused:
                problem = refused.message
            else:
                problem = ""
                token = admin.accounts.open_session(conn, staff, admin.clock())
        if problem:
            return form(visit, 400, problem)
        response = admin.redirect(safe_next(visit.form.get("next", limit=300)).removeprefix(PREFIX))
        admin.set_session_cookie(response, token)
        response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
        return response

    async def logout(visit: Visit) -> Response:
        assert visit.session is not None
        with admin.db.transaction() as conn:
            store.close_session(conn, visit.session.token_hash)
            audit.record(conn, visit.actor, "staff.logout", {}, at=admin.clock())
        response = admin.redirect("/login", "logged_out")
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    return [
        admin.route("/login", login_page, None),
        admin.route("/login", login, None, methods=("POST",)),
        admin.route("/logout", logout, "account", methods=("POST",)),
    ]
