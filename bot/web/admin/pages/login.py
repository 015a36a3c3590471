"""Logging in and out: the only pages open to someone not logged in."""

from __future__ import annotations

import asyncio
import random
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.admin import throttle
from bot.web.admin.site import COOKIE, LOGIN_COOKIE, PREFIX, Admin, Visit
from bot.web.admin.translations import N_, _
from db import audit
from db import staff as store


def safe_next(target: str) -> str:
    """Only a path inside the admin: a login link cannot send staff to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX) or "\\" in target:
        return PREFIX
    return target


def client_address(request: Request) -> str:
    """The address the throttle counts: the client's, as uvicorn reports it (behind a load
    balancer, uvicorn's --forwarded-allow-ips makes it the real client's; docs/reliability.md)."""
    return request.client.host if request.client else "unknown"


WRONG = N_("Wrong login or password.")


def refusal_text(message: str) -> str:
    """A refusal in the staff member's language (LOCKED names its minutes)."""
    return _(message) % {"num": int(throttle.LOCKOUT.total_seconds() // 60)} if message == throttle.LOCKED else _(message)


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
        """The same answers whether the login exists or not; argon2 off the event loop."""
        name = visit.form.get("login", limit=64).strip().lower()[:64]
        password = visit.form.get("password", limit=256)
        address = client_address(visit.request)
        refused = await admin.throttle.refusal(name, address)
        if refused:
            # Spread out: clients refused together must not come back together.
            await asyncio.sleep(admin.throttle.refusal_delay * random.uniform(0.5, 1.5))
            return form(visit, 400, refusal_text(refused))
        wait = await admin.throttle.delay(name)
        if wait:
            await asyncio.sleep(wait)
        with admin.db.transaction() as conn:
            staff = store.by_login(conn, name)
        if not await admin.accounts.check(staff, password):  # an unknown login costs the same time
            locked = await admin.throttle.failed(name, address)
            with admin.db.transaction() as conn:
                admin.accounts.failed(conn, staff, admin.clock(), locked=locked)
            return form(visit, 400, refusal_text(throttle.LOCKED if locked else WRONG))
        assert staff is not None  # check() is true only for an account that may log in
        new_hash = await admin.accounts.rehash(staff, password)
        with admin.db.transaction() as conn:
            admin.accounts.logged_in(conn, staff, admin.clock(), new_hash)
            token = admin.accounts.open_session(conn, staff, admin.clock())
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
