"""The platforms' delivery reports on the messages sent through their API (WhatsApp's status
callbacks): a report moves an outbound row's status forward only, never back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select, update

from db.outbound import outbound_messages

# Platform statuses in the order they happen: a late "sent" never overwrites "delivered".
_ORDER = {"queued": 0, "accepted": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}
_FINAL = {"failed", "undelivered", "not_sendable", "opted_out"}


def report_status(
    conn: Connection, channel: str, external_id: str, status: str, error: str | None, now: dt.datetime
) -> int | None:
    """A platform's status report; returns the contact id when the message is ours."""
    row = conn.execute(
        select(outbound_messages.c.id, outbound_messages.c.status, outbound_messages.c.contact_id).where(
            outbound_messages.c.channel == channel, outbound_messages.c.external_id == external_id
        )
    ).first()
    if row is None:
        return None
    if _advances(row.status, status):
        conn.execute(
            update(outbound_messages)
            .where(outbound_messages.c.id == row.id)
            .values(status=status[:16], error=error, updated_at=now)
        )
    return int(row.contact_id)


def _advances(current: str, new: str) -> bool:
    if current in _FINAL:
        return False
    if new in _FINAL:
        return True
    return _ORDER.get(new, -1) > _ORDER.get(current, -1)
