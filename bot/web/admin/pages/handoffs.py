"""The caseworkers' inbox: open conversations with a person (the longest waiting first), with
their waiting time, language, channel, referring organization and the topic that led there;
and the small count the menu polls (admin.js), so new requests show without a reload."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.web.admin.handoff_access import waiting_minutes, where
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_
from db import audit
from db import handoffs as store

NAV = [NavItem(N_("Conversations"), "/admin/handoffs", "handoffs")]


def routes(admin: Admin) -> list[Route]:
    async def listing(visit: Visit) -> Response:
        assert visit.staff is not None
        now = admin.clock()
        with admin.db.transaction() as conn:
            found = store.open_list(conn, where(visit.staff))
            audit.record(conn, visit.actor, "handoffs.list", {"count": len(found)}, at=now)
        rows = [(h, waiting_minutes(h, now)) for h in found]
        return admin.render(visit, "handoffs.html", rows=rows)

    async def count(visit: Visit) -> Response:
        assert visit.staff is not None
        with admin.db.transaction() as conn:
            waiting = store.open_count(conn, where(visit.staff) & store.handoffs.c.first_answer_at.is_(None))
            total = store.open_count(conn, where(visit.staff))
        return JSONResponse({"open": total, "waiting": waiting}, headers={"Cache-Control": "no-store"})

    return [
        admin.route("/handoffs", listing, "handoffs"),
        admin.route("/handoffs/count.json", count, "handoffs"),
    ]
