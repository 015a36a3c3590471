"""Messages the bot could not place, kept for staff: masked before storage (no digit, no e-mail
address: a CURP, a phone, an address number are never stored), 30 days, deleted with the person.
The engine names them (Turn.unplaced) and the topic the person reached after (Turn.chosen_topic);
the admin's page is bot/web/admin/pages/unanswered.py."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Connection

from bot.nlu.normalize import clean_text
from db import unanswered as store

KEEP_DAYS = 30
# Anything shaped like an address: word characters around an @ (also "name at domain" with dots).
_EMAIL = re.compile(r"[^\s@]*@[^\s@]*|\b[\w.+-]+\s+(?:at|arroba)\s+[\w-]+\s*(?:\.|dot|punto)\s*\w+\b",
                    re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def mask(text: str) -> str:
    """'mi curp es GOMJ900101HCSRRN09, cel 55 1234 5678, juan@x.mx' -> digits as '#', the address
    as '[email]'. Every Unicode digit counts ('٣' too)."""
    cleaned = clean_text(text, store.TEXT_CHARS * 2)
    masked = _EMAIL.sub("[email]", cleaned)
    return _DIGIT.sub("#", masked)[: store.TEXT_CHARS]


def record(conn: Connection, contact_id: int, text: str, language: str | None, step: str | None,
           at: dt.datetime) -> None:
    masked = mask(text)
    if masked.strip():
        store.insert(conn, contact_id, masked, language or "?", step or "first", at)


def note_topic(conn: Connection, contact_id: int, topic: str, at: dt.datetime) -> None:
    """The topic reached in the turns after an unplaced message (within the hour)."""
    store.note_topic(conn, contact_id, topic, at - dt.timedelta(hours=1))


def mark_added(conn: Connection, message_id: int, intent: str) -> None:
    """Staff added the message as an example of `intent` (the admin's page)."""
    store.mark_added(conn, message_id, intent)


def purge_unanswered(conn: Connection, now: dt.datetime) -> int:
    """Deletes what is older than 30 days; the number deleted. The hourly retention job
    calls it (bot/conversation/retention.py); `puente nlu purge` too."""
    return store.purge(conn, now - dt.timedelta(days=KEEP_DAYS))
