"""Who sees which handoff in the admin: administrators every one; any other account with the
`handoffs` permission its organization's and those of no organization (the network's queue).
A handoff an account may not see is answered as if it did not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection

from bot.web.admin.auth import allowed
from db import handoffs as store
from db.staff import Staff, everyone


def where(staff: Staff) -> Any:
    return store.visible_to(staff.organization_id, staff.role == "admin")


def may_see(staff: Staff, handoff: store.Handoff) -> bool:
    return (staff.role == "admin" or handoff.organization_id is None
            or handoff.organization_id == staff.organization_id)


def colleagues(conn: Connection, handoff: store.Handoff) -> list[Staff]:
    """Active accounts that may answer this handoff (assign to a colleague)."""
    return [s for s in everyone(conn) if not s.disabled and allowed(s.role, "handoffs") and may_see(s, handoff)]


def waiting_minutes(handoff: store.Handoff, now: dt.datetime) -> int:
    """Since the request, until the first staff reply (then it no longer waits)."""
    until = handoff.first_answer_at or now
    return max(0, int((until - handoff.opened_at).total_seconds() // 60))
