"""What is kept only for a while about people, pruned by a periodic job (bot/jobs/): the ids of
processed messages (a platform redelivers within hours, so days are plenty)."""

from __future__ import annotations

import datetime as dt

from db import contacts
from db.database import Database


def prune_processed_ids(db: Database, now: dt.datetime, keep_days: int) -> int:
    """Forget message ids older than `keep_days`; how many were forgotten.

    `db.contacts.prune_processed(conn, now, keep)` comes with issue 14's exactly-once turns
    (another branch); this module is its only caller."""
    with db.transaction() as conn:
        return int(contacts.prune_processed(conn, now, dt.timedelta(days=keep_days)) or 0)  # type: ignore[attr-defined]
