"""Your own account: change your password (every role)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.web.admin.auth import AccountError
from bot.web.admin.site import Admin, NavItem, Visit

NAV = [NavItem("My account", "/admin/account", "account")]


def routes(admin: Admin) -> list[Route]:
    async def account_page(visit: Visit) -> Response:
        return admin.render(visit, "account.html", error="")

    async def change_password(visit: Visit) -> Response:
        assert visit.staff is not None and visit.session is not None
        current = visit.form.get("current", limit=256)
        new = visit.form.get("new", limit=256)
        if not admin.accounts.verify(visit.staff.password_hash, current):
            return admin.render(visit, "account.html", status=400, error="Your current password is not right.")
        if new != visit.form.get("again", limit=256):
            return admin.render(visit, "account.html", status=400, error="The two new passwords differ.")
        try:
            with admin.db.transaction() as conn:
                admin.accounts.set_password(conn, visit.staff, new, visit.actor, admin.clock(),
                                            keep_session=visit.session.token_hash)
        except AccountError as refused:
            return admin.render(visit, "account.html", status=400, error=str(refused))
        return admin.redirect("/account", "password")

    return [
        admin.route("/account", account_page, "account"),
        admin.route("/account", change_password, "account", methods=("POST",)),
    ]
