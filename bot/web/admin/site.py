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
from starlette.routing import BaseRoute, Match, NoMatchFound, Route
from starlette.types import Receive, Scope, Send

from bot.app import App
from bot.content.revisions import Pack
from bot.engine import CompiledContent
from bot.i18n import language_name
from bot.languages import LANGUAGES as CONTENT_LANGUAGES
from bot.web.admin import preferences
from bot.web.admin.auth import PERMISSIONS, ROLE_NAMES, Accounts, allowed
from bot.web.admin.content_cache import ContentViews
from bot.web.admin.forms import Form, FormError, read_form, read_upload
from bot.web.admin.preferences import DEFAULT_ZONE, in_force, language_of, zone_of
from bot.web.admin.throttle import LoginThrottle
from bot.web.admin.translations import DEFAULT_LANGUAGE, N_, _, ngettext, npgettext, pgettext
from db.database import DatabaseBusy, DatabaseUnavailable
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
    "saved": N_("Saved in the draft. Users see it only after you publish."),
    "published": N_("Published: users see the new content from their next message."),
    "restored": N_("Restored as a new published revision: users see it from their next message."),
    "discarded": N_("The draft was discarded."),
    "password": N_("Password changed. Other sessions of this account were closed."),
    "preferences": N_("Your language and time zone were saved."),
    "staff": N_("The account was changed."),
    "reset": N_("The simulator starts again."),
    "logged_out": N_("You are logged out."),
    "vacancy_saved": N_("The vacancy was saved: users see the change in their next search."),
    "vacancy_closed": N_("The vacancy is closed: search and alerts no longer show it."),
    "reviewed": N_("The reports were marked reviewed. New reports will show up again."),
    "organization_saved": N_("The organization was saved."),
    "handoff_sent": N_("Sent: the reply is on its way to the person."),
    "handoff_saved": N_("Saved."),
    "handoff_closed": N_("The conversation is closed; the person is back with the bot."),
}

# The bot's languages, each in its own words (Kreyòl Ayisyen, Français...): what content pages show.
CONTENT_LANGUAGE_NAMES = {lang: language_name(lang) for lang in CONTENT_LANGUAGES}

# The heading of an error page, by HTTP status.
ERROR_TITLES = {
    400: N_("That did not work"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    409: N_("Changed meanwhile"),
    413: N_("Too large"),
    415: N_("That did not work"),
    422: N_("That did not work"),
    503: N_("Temporarily unavailable"),
}


@dataclass
class Visit:
    """One request by a logged-in staff member (or anyone, on the login page)."""

    request: Request
    staff: Staff | None = None
    session: Session | None = None
    form: Form = field(default_factory=lambda: Form([]))
    # The admin's language ("es", "en") and time zone for this request (preferences.py).
    language: str = DEFAULT_LANGUAGE
    zone: str = DEFAULT_ZONE

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
        # Parsed packs for the content pages, per revision (content_cache.py).
        self.content = ContentViews(app.revisions)
        self.templates = Environment(
            loader=FileSystemLoader([HERE / "pages", HERE / "templates"]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            # The pages ship with the code: no stat of every template file at every render (a
            # changed page needs a restart, as changed code does).
            auto_reload=False,
        )
        # `{{ _("Text %(name)s", name=value) }}`: translated in the request's language, values escaped.
        self.templates.install_gettext_callables(  # type: ignore[attr-defined] - added by jinja2.ext.i18n
            gettext=_, ngettext=ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
        self.templates.filters.update(when=preferences.when, day=preferences.day, number=preferences.number)
        self.templates.globals.update(role_name=role_name, permission_text=permission_text,
                                      zone_name=preferences.zone_name, content_language_names=CONTENT_LANGUAGE_NAMES)

    # -- pages ---------------------------------------------------------------------------------

    def route(self, path: str, handler: Handler, permission: str | None, methods: tuple[str, ...] = ("GET",),
              *, upload: bool = False) -> Route:
        """A page under /admin. `permission` None is public (login); everything else needs it.
        `upload`: its POST is a multipart form with one file (forms.read_upload)."""

        async def endpoint(request: Request) -> Response:
            try:
                response = await self._gate(request, handler, permission, upload)
            except (DatabaseUnavailable, OperationalError) as error:
                # A plain page in the admin's style, never a traceback; the browser may retry.
                return self.unavailable(request, busy=isinstance(error, DatabaseBusy))
            return self._secure(response)

        endpoint.permission = permission  # type: ignore[attr-defined] - read by the route-walk test
        return Route(PREFIX + path, endpoint, methods=list(methods), name=handler.__name__)

    def visit(self, request: Request) -> Visit:
        """Who is asking (from the session cookie), in which language and time zone."""
        visit = Visit(request)
        token = request.cookies.get(COOKIE, "")
        if token:
            with self.db.transaction() as conn:
                found = self.accounts.resume(conn, token, self.clock())
            if found:
                visit.session, visit.staff = found
        visit.language = language_of(visit.staff, request.headers.get("accept-language", ""))
        visit.zone = zone_of(visit.staff)
        return visit

    async def _gate(self, request: Request, handler: Handler, permission: str | None, upload: bool = False) -> Response:
        visit = self.visit(request)
        with in_force(visit.language, visit.zone):
            return await self._checked(visit, handler, permission, upload)

    async def _checked(self, visit: Visit, handler: Handler, permission: str | None, upload: bool) -> Response:
        request = visit.request
        if permission is not None:
            if visit.staff is None:
                if request.method == "GET":
                    target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
                    return RedirectResponse(f"{PREFIX}/login?next={target}", status_code=303)
                return self.error(visit, 403, _("Your session has ended. Log in again; your last change was not saved."))
            if not visit.can(permission):
                return self.error(visit, 403, _("Your role does not allow this page. Ask an administrator."))
        if request.method == "POST":
            if not same_origin(request):
                return self.error(visit, 403, _("This form was sent from another site and was refused."))
            try:
                visit.form = await (read_upload(request) if upload else read_form(request))
            except FormError as error:
                return self.error(visit, error.status, error.message)
            expected = visit.session.csrf_token if visit.session else request.cookies.get(LOGIN_COOKIE, "")
            sent = visit.form.get("csrf", limit=100)
            if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
                return self.error(visit, 403, _("This form has expired. Go back, reload the page and try again."))
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
        notice = visit.request.query_params.get("notice", "")
        html = self.templates.get_template(name).render(
            visit=visit, csrf=csrf, nav=[n for n in self.nav if visit.can(n.permission)],
            path=visit.request.url.path,
            notice=_(NOTICES[notice]) if notice in NOTICES else "", **context,
        )
        return HTMLResponse(html, status_code=status)

    def error(self, visit: Visit, status: int, message: str, title: str = "") -> HTMLResponse:
        """The error page in the admin's layout: a heading for the status, the message, a way back.
        Call it inside a request's language (the gate's, or `preferences.in_force`)."""
        heading = title or _(ERROR_TITLES.get(status, ERROR_TITLES[400]))
        return self.render(visit, "error.html", status=status, message=message, title=heading, status_code=status)

    def unavailable(self, request: Request, *, busy: bool = False) -> HTMLResponse:
        """503 when the database does not answer, or (SQLite) another process holds its write
        lock: no session can be read, so no menu; the language comes from the browser."""
        visit = Visit(request)
        visit.language = language_of(None, request.headers.get("accept-language", ""))
        reading = request.method in ("GET", "HEAD")
        with in_force(visit.language):
            if busy and reading:
                message = _("The database is busy with another task (an import, for example). Try again in a moment.")
            elif busy:  # the write lock was not had: the change's transaction wrote nothing
                message = _("The database is busy with another task (an import, for example). Nothing was "
                            "changed; try again in a moment.")
            elif reading:
                message = _("The database is not answering. Wait a minute and reload the page.")
            else:  # the connection may have gone after the change was committed
                message = _("The database stopped answering, so this may not have been saved. Wait a "
                            "minute, reload the page and check before sending it again.")
            response = self.error(visit, 503, message)
        response.headers["Retry-After"] = "5" if busy else "30"
        return self._secure(response)

    async def not_found(self, request: Request) -> Response:
        """An address under /admin that no page answers: a 404 page in the admin's layout."""
        visit = self.visit(request)
        with in_force(visit.language, visit.zone):
            response = self.error(visit, 404, _("There is no page at this address. It may have been moved; "
                                                "use the menu or the start page."))
        return self._secure(response)

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


def role_name(role: str) -> str:
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else role


def permission_text(permission: str) -> str:
    return _(PERMISSIONS[permission]) if permission in PERMISSIONS else permission


class NotFound(BaseRoute):
    """Last of the admin's routes: any other address under /admin gets the styled 404 page.
    It matches partially, so a known address asked with the wrong method still gets 405."""

    def __init__(self, admin: Admin) -> None:
        self.admin = admin

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == PREFIX or path.startswith(PREFIX + "/")):
            return Match.PARTIAL, {}
        return Match.NONE, {}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.admin.not_found(Request(scope, receive))
        await response(scope, receive, send)
