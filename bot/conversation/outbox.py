"""The outbox: messages sent through a platform's API, each a row of outbound_messages that is
claimed before it leaves (so no two workers send it), marked sent when the platform accepts it,
and otherwise tried again later with backoff (honouring the platform's retry_after), surviving
restarts: the job queue (bot/jobs/) asks for the due ones. One person's messages go in order."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.channels.port import ChannelPort, Sent
from bot.conversation import whatsapp_window
from bot.conversation.answers import REPLY
from bot.conversation.optouts import OptOuts
from bot.conversation.service import ConversationService
from bot.metrics import Metrics
from db import answers, outbound
from db.counters import bump

log = logging.getLogger("puente.outbox")


@dataclass(frozen=True)
class RetryPlan:
    """Tries after the channel's own quick retries failed: 30 s, 1 min, 2 min... up to an hour
    apart, eight in all; a platform's retry_after is honoured up to a day."""

    attempts: int = 8
    first: dt.timedelta = dt.timedelta(seconds=30)
    factor: float = 2.0
    cap: dt.timedelta = dt.timedelta(hours=1)
    longest_retry_after: dt.timedelta = dt.timedelta(days=1)

    def next_try(self, tries: int, retry_after: float | None) -> dt.timedelta | None:
        """The wait after failed try number `tries` (1-based); None: give up."""
        if tries >= self.attempts:
            return None
        if retry_after is not None:
            wait = dt.timedelta(seconds=retry_after)
            return wait if wait <= self.longest_retry_after else None
        return min(self.cap, self.first * self.factor ** (tries - 1))


@dataclass(frozen=True)
class Outcome:
    """What became of one row this time: sent, failed (with `retry_at` when another try is
    planned), queued (behind an earlier message of the person, sent at `retry_at`), opted_out,
    not_sendable, or busy (another worker had claimed it)."""

    row_id: int
    status: str
    error: str | None = None
    retry_at: dt.datetime | None = None


class Outbox:
    def __init__(
        self,
        conversations: ConversationService,
        optouts: OptOuts,
        metrics: Metrics,
        channels: Mapping[str, ChannelPort[Any, Any]],
        plan: RetryPlan | None = None,
    ) -> None:
        self.conversations = conversations
        self.db = conversations.db
        self.optouts = optouts
        self.metrics = metrics
        self.channels = channels
        self.plan = plan or RetryPlan()

    async def send_new(
        self, contact_id: int, channel: str, user_key: str, kind: str, bodies: list[dict[str, Any]]
    ) -> list[Outcome]:
        """Store the messages, then send them now, in order. What the platform does not accept
        stays for a later try; after a refusal the rest of them are not sent (they make no
        sense without it)."""
        now = self.conversations.now()
        async with self.conversations.ordering.hold(channel, user_key):
            with self.db.transaction() as conn:
                ids = outbound.enqueue(
                    conn, contact_id=contact_id, channel=channel, kind=kind, bodies=bodies, now=now,
                )
                # An earlier message still waits for its next try: these go after it.
                behind = outbound.ahead_of(conn, contact_id, ids[0], now) if ids else None
                if behind is not None:
                    outbound.postpone(conn, ids, behind, now)
        if behind is not None:
            return [Outcome(row_id, "queued", "behind_an_earlier_message", behind) for row_id in ids]
        return await self._deliver(contact_id, ids, fresh=True)

    async def send_reply(self, contact_id: int, ids: Sequence[int]) -> list[Outcome]:
        """A turn's replies kept as rows in its transaction (bot/conversation/answers.py), sent
        now, in order; a redelivered turn's rows still waiting, the same way."""
        return await self._deliver(contact_id, ids, fresh=True)

    async def queue_behind(self, contact_id: int, channel: str, user_key: str, kind: str,
                           bodies: list[dict[str, Any]], *, answer_id: int | None, before: list[int]) -> None:
        """Messages that were to ride in a webhook's response, queued behind the turn's rows
        the platform did not accept; the turn's stored answer then names the rows only."""
        now = self.conversations.now()
        async with self.conversations.ordering.hold(channel, user_key):
            with self.db.transaction() as conn:
                ids = outbound.enqueue(conn, contact_id=contact_id, channel=channel, kind=kind, bodies=bodies, now=now)
                behind = outbound.ahead_of(conn, contact_id, ids[0], now)
                outbound.postpone(conn, ids, behind or now, now)
                if answer_id is not None:
                    answers.move_to_outbox(conn, answer_id, before + ids)

    async def send_due(self, contact_id: int) -> list[Outcome]:
        """The contact's rows whose try is due, in order (a job of the queue)."""
        with self.db.transaction() as conn:
            ids = outbound.due(conn, contact_id, self.conversations.now())
        return await self._deliver(contact_id, ids, fresh=False) if ids else []

    def due_contacts(self) -> list[int]:
        """Contacts with a row due; rows whose sender died mid-send end failed ("interrupted")
        first, never sent again (the platform may have had them)."""
        now = self.conversations.now()
        with self.db.transaction() as conn:
            stale = outbound.interrupt_stale(conn, now)
            if stale:
                bump(conn, now.date(), Counter(("outbound", f"{c}:{k}:interrupted") for c, k in stale))
            contacts = outbound.due_contacts(conn, now)
        for channel, _kind in stale:
            self.metrics.sent(channel, "interrupted")
        if stale:
            log.warning("%d outbound message(s) interrupted mid-send; not sent again", len(stale))
        return contacts

    async def _deliver(self, contact_id: int, ids: Sequence[int], *, fresh: bool) -> list[Outcome]:
        with self.db.transaction() as conn:
            who = outbound.recipient(conn, contact_id)
        if who is None:  # deleted meanwhile: its rows went with it
            return []
        keys = dict(who.identities)
        outcomes: list[Outcome] = []
        for position, row_id in enumerate(ids):
            async with self.conversations.ordering.writer():  # SQLite: never wait on the loop
                with self.db.transaction() as conn:
                    claimed = outbound.claim(conn, row_id, self.conversations.now(), due_only=not fresh)
            if claimed is None:
                outcomes.append(Outcome(row_id, "busy"))
                continue
            port, user_key = self.channels.get(claimed.channel), keys.get(claimed.channel)
            held = self._held_back(claimed, who, port is not None and user_key is not None)
            if held is not None:
                outcome = await self._record(claimed, user_key or "", held, tried=False)
            else:
                assert port is not None and user_key is not None
                message = port.restore(user_key, claimed.body)
                sent = await port.send(user_key, message, first=claimed.kind != REPLY)
                outcome = await self._record(claimed, user_key, sent)
            outcomes.append(outcome)
            rest = list(ids[position + 1:])
            if outcome.status == "opted_out":
                await self._end(claimed.channel, user_key or "", rest, "opted_out", None)
                if outcome.error != "opted_out_before":
                    await self.optouts.mark(claimed.channel, user_key or "", True)
                break
            if outcome.retry_at is not None:
                await self._postpone(claimed.channel, user_key or "", rest, outcome.retry_at)
                break
            if outcome.status == "failed" and fresh:
                await self._end(claimed.channel, user_key or "", rest, "failed", "earlier_part_failed")
                break
        return outcomes

    def _held_back(self, row: outbound.Claimed, who: outbound.Recipient, reachable: bool) -> Sent | None:
        """Why a row cannot go now (checked again at every try), or None."""
        if not reachable:
            return Sent("failed", error="no_channel")
        if who.opted_out and row.kind != REPLY:
            return Sent("opted_out", error="opted_out_before")
        closed = whatsapp_window.applies(row.channel) and not whatsapp_window.is_open(
            who.last_inbound_at, self.conversations.now()
        )
        if closed and not row.body.get("content_sid"):
            return Sent("not_sendable", error="window_closed")
        return None

    async def _record(self, row: outbound.Claimed, user_key: str, sent: Sent, *, tried: bool = True) -> Outcome:
        now = self.conversations.now()
        status = "opted_out" if sent.status == "blocked" else sent.status
        retry_at = None
        if status == "failed" and sent.retryable:
            wait = self.plan.next_try(row.attempts + 1, sent.retry_after)
            retry_at = now + wait if wait is not None else None
        counted = "retry" if retry_at is not None else status
        async with self.conversations.ordering.briefly(row.channel, user_key):
            with self.db.transaction() as conn:
                if status == "sent":
                    outbound.mark_sent(conn, row.id, sent.external_id, now)
                elif retry_at is not None:
                    outbound.mark_retry(conn, row.id, sent.error or "failed", retry_at, now)
                else:
                    outbound.mark_final(conn, row.id, status, sent.error, now, tried=tried)
                bump(conn, now.date(), Counter({("outbound", f"{row.channel}:{row.kind}:{counted}"): 1}))
        self.metrics.sent(row.channel, "failed" if counted == "retry" else status)
        return Outcome(row.id, status, sent.error, retry_at)

    async def _postpone(self, channel: str, user_key: str, ids: list[int], at: dt.datetime) -> None:
        if ids:
            async with self.conversations.ordering.hold(channel, user_key):
                with self.db.transaction() as conn:
                    outbound.postpone(conn, ids, at, self.conversations.now())

    async def _end(self, channel: str, user_key: str, ids: list[int], status: str, error: str | None) -> None:
        """Rows of a message that will not go: counted once each, never tried."""
        if not ids:
            return
        now = self.conversations.now()
        async with self.conversations.ordering.hold(channel, user_key):
            with self.db.transaction() as conn:
                for row_id in ids:
                    if outbound.claim(conn, row_id, now, due_only=False) is not None:
                        outbound.mark_final(conn, row_id, status, error, now, tried=False)
