"""The admin site: templates, the login/role/CSRF gate every page goes through, and helpers."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from argon2 import PasswordHasher
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.exc import OperationalError
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.app import App
from bot.content.revisions import Pack
from bot.engine import CompiledContent
from bot.web.admin.auth import ROLE_NAMES, Accounts, allowed
from bot.web.admin.throttle import LoginThrottle
from bot.web.admin.translations import template_gettext
from bot.web.admin.forms import Form, FormError, read_form, read_upload
from db.database import DatabaseUnavailable
from db.staff import Session, Staff

HERE = Path(__file__).resolve().parent
COOKIE = "puente_admin"
LOGIN_COOKIE = "puente_login"
PREFIX = "/admin"

# No script, style or font from anywhere but this app; no framing; forms post only here.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

NOTICES = {
    "saved": "Saved in the draft. Users see it only after you publish.",
    "published": "Published: users see the new content from their next message.",
    "restored": "Restored as a new published revision: users see it from their next message.",
    "discarded": "The draft was discarded.",
    "password": "Password changed. Other sessions of this account were closed.",
    "staff": "The account was changed.",
    "reset": "The simulator starts again.",
    "logged_out": "You are logged out.",
    "vacancy_saved": "The vacancy was saved: users see the change in their next search.",
    "vacancy_closed": "The vacancy is closed: search and alerts no longer show it.",
    "reviewed": "The reports were marked reviewed. New reports will show up again.",
    "organization_saved": "The organization was saved.",
}


@dataclass
class Visit:
    """One request by a logged-in staff member (or anyone, on the login page)."""

    request: Request
    staff: Staff | None = None
    session: Session | None = None
    form: Form = field(default_factory=lambda: Form([]))

    @property
    def actor(self) -> str:
        return self.staff.login if self.staff else "anonymous"

    def can(self, permission: str) -> bool:
        return self.staff is not None and allowed(self.staff.role, permission)


Handler = Callable[[Visit], Awaitable[Response]]


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    permission: str


class Admin:
    def __init__(self, app: App) -> None:
        self.app = app
        self.db = app.db
        # argon2id with argon2-cffi's memory and time costs, on one lane: a check takes one core
        # (never both: the webhooks keep the other); older hashes are redone at the next login.
        self.accounts = Accounts(PasswordHasher(parallelism=1))
        self.throttle = LoginThrottle(app.settings.redis_url)
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
        self.secure_cookies = app.settings.public_url.startswith("https://")
        self.nav: list[NavItem] = []
        self._compiled: OrderedDict[str, CompiledContent] = OrderedDict()
        self.templates = Environment(
            loader=FileSystemLoader([HERE / "pages", HERE / "templates"]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
        )
        self.templates.filters["when"] = when
        self.templates.globals["role_names"] = ROLE_NAMES
        # The admin's translation (Babel) arrives with another branch; until then texts marked
        # for it are shown as written (translations.py).
        self.templates.globals["_"] = template_gettext

    # -- pages ---------------------------------------------------------------------------------

    def route(self, path: str, handler: Handler, permission: str | None, methods: tuple[str, ...] = ("GET",),
              *, upload: bool = False) -> Route:
        """A page under /admin. `permission` None is public (login); everything else needs it.
        `upload`: its POST is a multipart form with one file (forms.read_upload)."""

        async def endpoint(request: Request) -> Response:
            try:
                response = await self._gate(request, handler, permission, upload)
            except (DatabaseUnavailable, OperationalError):
                # A plain page in the admin's style, never a traceback; the browser may retry.
                response = self.render(Visit(request), "unavailable.html", status=503)
                response.headers["Retry-After"] = "30"
            return self._secure(response)

        endpoint.permission = permission  # type: ignore[attr-defined] - read by the route-walk test
        return Route(PREFIX + path, endpoint, methods=list(methods), name=handler.__name__)

    async def _gate(self, request: Request, handler: Handler, permission: str | None, upload: bool = False) -> Response:
        visit = Visit(request)
        token = request.cookies.get(COOKIE, "")
        if token:
            with self.db.transaction() as conn:
                found = self.accounts.resume(conn, token, self.clock())
            if found:
                visit.session, visit.staff = found
        if permission is not None:
            if visit.staff is None:
                if request.method == "GET":
                    target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
                    return RedirectResponse(f"{PREFIX}/login?next={target}", status_code=303)
                return self.error(visit, 403, "Your session has ended. Log in again; your last change was not saved.")
            if not visit.can(permission):
                return self.error(visit, 403, "Your role does not allow this page. Ask an administrator.")
        if request.method == "POST":
            if not same_origin(request):
                return self.error(visit, 403, "This form was sent from another site and was refused.")
            try:
                visit.form = await (read_upload(request) if upload else read_form(request))
            except FormError as error:
                return self.error(visit, error.status, error.message)
            expected = visit.session.csrf_token if visit.session else request.cookies.get(LOGIN_COOKIE, "")
            sent = visit.form.get("csrf", limit=100)
            if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
                return self.error(visit, 403, "This form has expired. Go back, reload the page and try again.")
        try:
            return await handler(visit)
        except FormError as error:
            return self.error(visit, error.status, error.message)

    @staticmethod
    def _secure(response: Response) -> Response:
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    def render(self, visit: Visit, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        csrf = visit.session.csrf_token if visit.session else context.pop("login_csrf", "")
        html = self.templates.get_template(name).render(
            visit=visit, csrf=csrf, nav=[n for n in self.nav if visit.can(n.permission)],
            path=visit.request.url.path,
            notice=NOTICES.get(visit.request.query_params.get("notice", ""), ""), **context,
        )
        return HTMLResponse(html, status_code=status)

    def error(self, visit: Visit, status: int, message: str) -> HTMLResponse:
        return self.render(visit, "error.html", status=status, message=message)

    def redirect(self, path: str, notice: str = "") -> RedirectResponse:
        """After a change (post, redirect, get). `notice` is a key of NOTICES: a link cannot put words on a page."""
        assert not notice or notice in NOTICES, notice
        separator = "&" if "?" in path else "?"
        return RedirectResponse(PREFIX + path + (f"{separator}notice={notice}" if notice else ""), status_code=303)

    def set_session_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=self.secure_cookies,
                            path=PREFIX)

    def new_login_token(self) -> str:
        return secrets.token_urlsafe(24)

    # -- content -------------------------------------------------------------------------------

    def compiled(self, pack: Pack) -> CompiledContent:
        """Compiled content of a pack, cached by digest (the simulator asks for it every message)."""
        key = f"{pack.label}:{pack.source.digest()}"
        if key not in self._compiled:
            self._compiled[key] = self.app.revisions.compile(pack)
            while len(self._compiled) > 4:
                self._compiled.popitem(last=False)
        self._compiled.move_to_end(key)
        return self._compiled[key]


def same_origin(request: Request) -> bool:
    """Browsers send Origin on form posts; when present it must be this host."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "never"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
