"""The audit log (administrators only): every change, export, login and lockout, newest first."""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.web.admin.site import Admin, NavItem, Visit
from db.audit import audit_log

NAV = [NavItem("Audit log", "/admin/audit", "audit.read")]
PAGE = 100


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
        return admin.render(visit, "audit.html", entries=entries, older=older, action=action)

    return [admin.route("/audit", audit_page, "audit.read")]
