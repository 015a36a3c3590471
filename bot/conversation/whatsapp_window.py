"""WhatsApp's 24-hour rule: a business may write freely for 24 hours after the user's last
message; after that only an approved template may open the conversation again. Telegram
has no such rule."""

from __future__ import annotations

import datetime as dt

WINDOW = dt.timedelta(hours=24)
CHANNELS = frozenset({"whatsapp"})


def applies(channel: str) -> bool:
    return channel in CHANNELS


def is_open(last_inbound_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether the bot may still write freely. last_inbound_at is kept to the minute (db/turns.py),
    so the window closes at most that much early."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW
