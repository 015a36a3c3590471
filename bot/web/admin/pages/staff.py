"""Staff accounts (administrators only): add, change role and organization, reset password,
unlock, disable."""

from __future__ import annotations

from sqlalchemy import Connection
from starlette.responses import Response
from starlette.routing import Route

from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.web.admin.auth import PERMISSIONS, ROLE_PERMISSIONS, AccountError, generate_password
from bot.web.admin.forms import FormError
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_, _
from db import audit
from db import organizations
from db import staff as store
from db.admin import ROLES
from db.organizations import Organization

NAV = [NavItem(N_("Staff"), "/admin/staff", "staff.manage")]
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


def routes(admin: Admin) -> list[Route]:
    def listing(visit: Visit, status: int = 200, error: str = "", created: tuple[str, str] | None = None) -> Response:
        with admin.db.transaction() as conn:
            people = store.everyone(conn)
            found = organizations.all_organizations(conn)
        return admin.render(visit, "staff.html", status=status, people=people, roles=ROLES, error=error,
                            organizations=found, organization_names={o.id: o.name for o in found},
                            created=created, permissions=PERMISSIONS, role_permissions=ROLE_PERMISSIONS,
                            now=admin.clock(), translated=TRANSLATED)

    async def staff_page(visit: Visit) -> Response:
        return listing(visit)

    async def add(visit: Visit) -> Response:
        login = visit.form.require("login", limit=64)
        role = visit.form.require("role", limit=16)
        password = generate_password()
        try:
            with admin.db.transaction() as conn:
                organization = chosen_organization(conn, visit)
                staff_id = admin.accounts.add(conn, login, role, password, visit.actor, admin.clock())
                if organization is not None:
                    set_organization(conn, visit, staff_id, login.strip().lower(), organization)
                if visit.form.every("languages", limit=8):
                    set_languages(conn, visit, staff_id, login.strip().lower())
        except AccountError as refused:
            return listing(visit, 400, str(refused))
        # Shown once, on this page only; never stored in clear.
        return listing(visit, created=(login.strip().lower(), password))

    async def change(visit: Visit) -> Response:
        staff_id = visit.request.path_params["staff"]
        op = visit.form.require("op", limit=16)
        now = admin.clock()
        with admin.db.transaction() as conn:
            person = store.by_id(conn, staff_id)
            if person is None:
                return admin.error(visit, 404, _("There is no such account."))
            if person.id == (visit.staff.id if visit.staff else None) and op in ("role", "disable"):
                return listing(visit, 400, _("You cannot change your own role or disable yourself; "
                                             "ask another administrator."))
            if op == "role":
                role = visit.form.require("role", limit=16)
                if role not in ROLES:
                    raise FormError(_("Choose a role from the list."))
                store.change(conn, person.id, role=role)
                store.close_sessions_of(conn, person.id)
                audit.record(conn, visit.actor, "staff.role", {"login": person.login, "role": role}, at=now)
            elif op == "languages":
                set_languages(conn, visit, person.id, person.login)
            elif op == "organization":
                set_organization(conn, visit, person.id, person.login, chosen_organization(conn, visit))
            elif op in ("disable", "enable"):
                store.change(conn, person.id, disabled=op == "disable")
                store.close_sessions_of(conn, person.id)
                audit.record(conn, visit.actor, f"staff.{op}", {"login": person.login}, at=now)
            elif op == "unlock":
                store.change(conn, person.id, locked_until=None, failed_logins=0)
                audit.record(conn, visit.actor, "staff.unlock", {"login": person.login}, at=now)
                await admin.throttle.forgive(person.login)
            elif op == "reset":
                password = generate_password()
                admin.accounts.set_password(conn, person, password, visit.actor, now)
            else:
                raise FormError(_("This button is not known here; reload the page."))
        if op == "reset":
            return listing(visit, created=(person.login, password))
        return admin.redirect("/staff", "staff")

    def chosen_organization(conn: Connection, visit: Visit) -> Organization | None:
        raw = visit.form.get("organization", limit=12)
        if not raw:
            return None
        found = organizations.get(conn, int(raw)) if raw.isdigit() else None
        if found is None:
            raise FormError("choose an organization from the list")
        return found

    def set_languages(conn: Connection, visit: Visit, staff_id: int, login: str) -> None:
        """The languages a translator may change (ticked boxes; unknown values are ignored)."""
        ticked = visit.form.every("languages", limit=8)
        chosen = [lang for lang in TRANSLATED if lang in ticked]
        store.change(conn, staff_id, languages=" ".join(chosen) or None)
        audit.record(conn, visit.actor, "staff.languages", {"login": login, "languages": chosen}, at=admin.clock())

    def set_organization(conn: Connection, visit: Visit, staff_id: int, login: str,
                         organization: Organization | None) -> None:
        """What the account sees from its next page on (its handoffs, its organization's page)."""
        store.change(conn, staff_id, organization_id=organization.id if organization else None)
        audit.record(conn, visit.actor, "staff.organization",
                     {"login": login, "organization": organization.code if organization else None}, at=admin.clock())

    return [
        admin.route("/staff", staff_page, "staff.manage"),
        admin.route("/staff", add, "staff.manage", methods=("POST",)),
        admin.route("/staff/{staff:int}", change, "staff.manage", methods=("POST",)),
    ]
