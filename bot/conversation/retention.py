"""What is kept only for a while about people, pruned by the hourly job (bot/jobs/queue.py):
the ids of processed messages and the stored answers of their turns (a platform redelivers
within hours, so days are plenty: PROCESSED_IDS_DAYS), unanswered messages (30 days, as the
admin's page says) and closed conversations with a person (HANDOFF_RETENTION_DAYS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.conversation import handoffs
from bot.conversation.unanswered import purge_unanswered
from db import contacts
from db.database import Database


@dataclass(frozen=True)
class Forgotten:
    """How many of each were deleted (counts only: nothing about who)."""

    processed_ids: int
    unanswered: int
    handoffs: int


def prune_processed_ids(db: Database, now: dt.datetime, keep_days: int) -> int:
    """Forget message ids (and their turns' stored answers) older than `keep_days`; how many
    ids were forgotten."""
    with db.transaction() as conn:
        return contacts.prune_processed(conn, now, dt.timedelta(days=keep_days))


def forget_old(db: Database, now: dt.datetime, *, processed_ids_days: int, handoff_days: int) -> Forgotten:
    """Everything past its keeping time, each kind in its own transaction."""
    ids = prune_processed_ids(db, now, processed_ids_days)
    with db.transaction() as conn:
        unanswered = purge_unanswered(conn, now)
    with db.transaction() as conn:
        closed = handoffs.purge(conn, now, handoff_days)
    return Forgotten(ids, unanswered, closed)
