"""What is kept only for a while about people, pruned by a periodic job (bot/jobs/): the ids of
processed messages and the stored answers of their turns (a platform redelivers within hours,
so days are plenty)."""

from __future__ import annotations

import datetime as dt

from db import contacts
from db.database import Database


def prune_processed_ids(db: Database, now: dt.datetime, keep_days: int) -> int:
    """Forget message ids (and their turns' stored answers) older than `keep_days`; how many
    ids were forgotten."""
    with db.transaction() as conn:
        return contacts.prune_processed(conn, now, dt.timedelta(days=keep_days))
