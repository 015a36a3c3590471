"""Claiming a message id: an inbound message is handled once, whatever the platform redelivers.
Every path that handles a message with an id claims it here, in its own transaction: a turn,
the apology for a failed turn, an opt-out keyword, a blocked bot."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection

from db import contacts as contact_store


def claim(conn: Connection, channel: str, external_id: str | None, now: dt.datetime) -> bool:
    """True the first time this message id is seen (or when it has none); False for a
    redelivery. The claim commits or rolls back with the caller's transaction."""
    return not external_id or contact_store.claim_message(conn, channel, external_id, now)
