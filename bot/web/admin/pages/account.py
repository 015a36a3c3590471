"""Your own account: the admin's language and your time zone, and your password (every role)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.web.admin.auth import MIN_PASSWORD, AccountError
from bot.web.admin.preferences import ZONES, known_zone
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import LANGUAGE_NAMES, LANGUAGES, N_, _, negotiate
from db import audit
from db import staff as store

NAV = [NavItem(N_("My account"), "/admin/account", "account")]


def routes(admin: Admin) -> list[Route]:
    def page(visit: Visit, status: int = 200, error: str = "", preferences_error: str = "") -> Response:
        return admin.render(visit, "account.html", status=status, error=error, preferences_error=preferences_error,
                            language_names=LANGUAGE_NAMES, zones=ZONES, now=admin.clock(), min_password=MIN_PASSWORD,
                            browser_language=negotiate(visit.request.headers.get("accept-language", "")))

    async def account_page(visit: Visit) -> Response:
        return page(visit)

    async def change_password(visit: Visit) -> Response:
        assert visit.staff is not None and visit.session is not None
        current = visit.form.get("current", limit=256)
        new = visit.form.get("new", limit=256)
        if not admin.accounts.verify(visit.staff.password_hash, current):
            return page(visit, 400, error=_("Your current password is not right."))
        if new != visit.form.get("again", limit=256):
            return page(visit, 400, error=_("The two new passwords differ."))
        try:
            with admin.db.transaction() as conn:
                admin.accounts.set_password(conn, visit.staff, new, visit.actor, admin.clock(),
                                            keep_session=visit.session.token_hash)
        except AccountError as refused:
            return page(visit, 400, error=str(refused))
        return admin.redirect("/account", "password")

    async def save_preferences(visit: Visit) -> Response:
        assert visit.staff is not None
        language = visit.form.get("language", limit=8)
        zone = visit.form.get("time_zone", limit=64)
        if language and language not in LANGUAGES:
            return page(visit, 400, preferences_error=_("Choose a language from the list."))
        if not known_zone(zone):
            return page(visit, 400, preferences_error=_("Choose a time zone from the list."))
        with admin.db.transaction() as conn:
            store.change(conn, visit.staff.id, language=language or None, time_zone=zone)
            audit.record(conn, visit.actor, "staff.preferences", {"language": language or None, "time_zone": zone},
                         at=admin.clock())
        return admin.redirect("/account", "preferences")

    return [
        admin.route("/account", account_page, "account"),
        admin.route("/account", change_password, "account", methods=("POST",)),
        admin.route("/account/preferences", save_preferences, "account", methods=("POST",)),
    ]
