"""The audit log (administrators only): every change, export, login and lockout, newest first."""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_, _
from db.audit import audit_log

NAV = [NavItem(N_("Audit log"), "/admin/audit", "audit.read")]
PAGE = 100
# What each recorded action means, for the people reading the log (the code stays beside it).
ACTIONS = {
    "content.edit": N_("Changed texts in the draft"),
    "content.choices": N_("Changed buttons in the draft"),
    "content.fields": N_("Changed a step's source, review date or note in the draft"),
    "content.discard_draft": N_("Discarded the draft"),
    "content.publish": N_("Published the draft"),
    "content.restore": N_("Restored an earlier revision"),
    "content.export": N_("Exported the content to files"),
    "content.import": N_("Imported content from files"),
    "registrations.list": N_("Opened the list of registrations"),
    "registrations.view": N_("Opened a registration"),
    "registrations.export": N_("Downloaded the registrations export"),
    "staff.add": N_("Added a staff account"),
    "staff.role": N_("Changed a staff member's role"),
    "staff.disable": N_("Disabled a staff account"),
    "staff.enable": N_("Enabled a staff account"),
    "staff.unlock": N_("Unlocked a staff account"),
    "staff.password": N_("Set a new password"),
    "staff.preferences": N_("Chose the admin's language and time zone"),
    "staff.login": N_("Logged in"),
    "staff.logout": N_("Logged out"),
    "staff.login_failed": N_("Typed a wrong password"),
    "staff.locked": N_("Account locked after wrong passwords"),
    "vacancies.edit": N_("Edited a vacancy"),
    "vacancies.close": N_("Closed a vacancy"),
    "vacancies.import": N_("Imported a vacancy file"),
    "vacancies.export": N_("Exported vacancies"),
    "vacancies.reports_reviewed": N_("Marked users' reports on a vacancy reviewed"),
}


def described(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else ""


def routes(admin: Admin) -> list[Route]:
    async def audit_page(visit: Visit) -> Response:
        raw = visit.request.query_params.get("before", "")
        action = visit.request.query_params.get("action", "")[:64]
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(PAGE)
        if raw.isdigit():
            query = query.where(audit_log.c.id < int(raw))
        if action:
            query = query.where(audit_log.c.action.startswith(action, autoescape=True))
        with admin.db.transaction() as conn:
            entries = [dict(row._mapping) for row in conn.execute(query)]
        older = entries[-1]["id"] if len(entries) == PAGE else None
        return admin.render(visit, "audit.html", entries=entries, older=older, action=action, described=described)

    return [admin.route("/audit", audit_page, "audit.read")]
