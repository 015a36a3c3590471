"""A turn's replies kept in the turn's own transaction, so that a stored turn is always answered
(at least once) and never run again: the replies a channel sends through its API become
outbound_messages rows (sent right after the commit, else by the outbox's sweep, never twice:
bot/conversation/outbox.py), and those that ride in the webhook's response are stored with the
message id (db/answers.py) for a redelivery to carry again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from bot.messages import Inbound, Outbound
from db import answers, outbound

# A reply to the user's own message (an outbound row's kind): it still goes to someone who
# opted out of alerts, and without the pace of messages the bot sends first.
REPLY = "reply"


@dataclass(frozen=True)
class Planned:
    """What the channel does with a turn's replies: the records (Message.record()) of those it
    sends through its API, in order, then of those that ride in the webhook's response."""

    by_api: list[dict[str, Any]] = field(default_factory=list)
    inline: list[dict[str, Any]] = field(default_factory=list)


# Renders a turn's replies (in the person's language) and plans them; built by the Inbox.
Planner = Callable[[list[Outbound], str | None], Planned]


@dataclass(frozen=True)
class Kept:
    """The turn's replies as stored: outbound rows to send now (none when they wait behind an
    earlier message of the person), the response's records, the stored answer's id."""

    send_now: list[int]
    inline: list[dict[str, Any]]
    answer_id: int | None


def keep(conn: Connection, inbound: Inbound, contact_id: int, planned: Planned, now: dt.datetime, *,
         unfinished: bool = True) -> Kept:
    """In the turn's transaction. When an earlier message of the person still waits for another
    try, all of this turn's replies queue behind it (the response carries none of them).
    `unfinished` False: the turn's read found no row of the person waiting or being sent
    (db/turns.py), so nothing is asked again."""
    by_api, inline = list(planned.by_api), list(planned.inline)
    behind = outbound.ahead_of(conn, contact_id, None, now) if unfinished and (by_api or inline) else None
    bodies = by_api + inline if behind is not None else by_api
    ids = outbound.enqueue(conn, contact_id=contact_id, channel=inbound.channel, kind=REPLY,
                           bodies=bodies, now=now) if bodies else []
    send_now = ids
    if behind is not None:
        outbound.postpone(conn, ids, behind, now)
        send_now, inline = [], []
    answer_id = None
    if inbound.external_id:
        answer_id = answers.store(conn, channel=inbound.channel, external_id=inbound.external_id,
                                  contact_id=contact_id, replies=inline, outbound=ids, now=now)
    return Kept(send_now, inline, answer_id)


def stored(conn: Connection, inbound: Inbound) -> answers.StoredAnswer | None:
    """A redelivered message's stored answer (None: it had none, or it was pruned)."""
    return answers.find(conn, inbound.channel, inbound.external_id) if inbound.external_id else None
