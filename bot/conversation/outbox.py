"""The outbox: messages sent through a platform's API, each a row of outbound_messages that is
claimed before it leaves (so no two workers send it), marked sent when the platform accepts it,
and otherwise tried again later with backoff (honouring the platform's retry_after), surviving
restarts: the job queue (bot/jobs/) asks for the due ones. One person's messages go in order.
A send cut off midway (the process killed, a send that took too long) may have reached the
platform: before another try the platform is asked whether it has the message (Twilio lists
what it took); where it cannot tell (Telegram) the message is not sent again."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.channels.port import ChannelPort, Sent, Unreachable
from bot.conversation import whatsapp_window
from bot.conversation.answers import REPLY
from bot.conversation.optouts import OptOuts
from bot.conversation.service import ConversationService
from bot.days import mexico_day
from bot.metrics import Metrics
from db import answers, interrupted, outbound
from db.counters import bump
from db.database import storage_failed

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


# A reply has a person waiting: tried again after seconds, not half a minute.
REPLY_PLAN = RetryPlan(attempts=12, first=dt.timedelta(seconds=2))
# A reply's send (the channel's own quick retries included) is cut off after this; the platform
# is asked a little later whether it took the message. So a reply claimed longer ago than
# REPLY_LEASE lost its sender, and is looked for then, not after outbound.LEASE.
REPLY_SEND_LIMIT = 20.0
LOOK_AGAIN = dt.timedelta(seconds=5)
REPLY_LEASE = dt.timedelta(seconds=45)
# Writing down what the platform said, when the database is briefly away (a restart, a
# dropped connection): tried again after these pauses (about 16 s in all) before giving up.
RECORD_PAUSES = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)


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
        reply_plan: RetryPlan | None = None,
    ) -> None:
        self.conversations = conversations
        self.db = conversations.db
        self.optouts = optouts
        self.metrics = metrics
        self.channels = channels
        self.plan = plan or RetryPlan()
        self.reply_plan = reply_plan or REPLY_PLAN

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
        """Contacts with a row due; rows whose sender died mid-send are "interrupted" first:
        due, to be looked for at the platform, or failed where it cannot tell."""
        now = self.conversations.now()
        with self.db.transaction() as conn:
            listing = [name for name, port in self.channels.items() if port.lists_sent]
            stale = interrupted.interrupt_stale(conn, now, {REPLY: REPLY_LEASE}, listing)
            if stale:
                bump(conn, mexico_day(now), Counter(("outbound", f"{c}:{k}:interrupted") for c, k in stale))
            contacts = outbound.due_contacts(conn, now)
        for channel, _kind in stale:
            self.metrics.sent(channel, "interrupted")
        if stale:
            log.warning("%d outbound message(s) interrupted mid-send; looked for at the platform",
                        len(stale))
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
                    elsewhere = claimed is None and outbound.being_sent(conn, row_id)
            if claimed is None:
                outcomes.append(Outcome(row_id, "busy"))
                if elsewhere:  # the rest go after it: its sender, or the sweep once it is done
                    break
                continue  # sent or ended already (a redelivery): the next one
            port, user_key = self.channels.get(claimed.channel), keys.get(claimed.channel)
            held = self._held_back(claimed, who, port is not None and user_key is not None)
            if held is not None:
                outcome = await self._record(claimed, user_key or "", held, tried=False)
            else:
                assert port is not None and user_key is not None
                outcome = await self._send(claimed, port, user_key)
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

    async def _send(self, row: outbound.Claimed, port: ChannelPort[Any, Any], user_key: str) -> Outcome:
        """One try of a claimed row; a row whose last send was cut off is looked for first."""
        message = port.restore(user_key, row.body)
        if row.interrupted:
            found = await self._look_for(row, port, user_key, message)
            if found is not None:
                return found
        try:
            async with asyncio.timeout(REPLY_SEND_LIMIT if row.kind == REPLY else None):
                sent = await port.send(user_key, message, first=row.kind != REPLY)
        except TimeoutError:
            log.warning("a %s reply took over %.0f s to send; looked for at the platform",
                        row.channel, REPLY_SEND_LIMIT)
            again = self.conversations.now() + LOOK_AGAIN if port.lists_sent else None
            return await self._set_aside(row, user_key, again)
        if sent.maybe_taken and port.lists_sent:
            log.warning("a %s message may have reached the platform (%s); looked for there",
                        row.channel, sent.error)
            return await self._set_aside(row, user_key, self.conversations.now() + LOOK_AGAIN)
        return await self._record(row, user_key, sent)

    async def _look_for(self, row: outbound.Claimed, port: ChannelPort[Any, Any], user_key: str,
                        message: Any) -> Outcome | None:
        """Whether the platform took a row whose send was cut off: the outcome when it did (sent),
        when it cannot tell (failed, never sent twice) or cannot be asked now (looked for again
        later); None when it did not (the row is sent now)."""
        if not port.lists_sent:
            return await self._set_aside(row, user_key, None)
        with self.db.transaction() as conn:
            known = interrupted.known_external_ids(conn, row.contact_id, row.channel)
        try:
            found = await port.find_sent(user_key, message, row.created_at, known)
        except Unreachable:
            wait = self._plan(row).next_try(row.attempts + 1, None)
            again = self.conversations.now() + wait if wait else None
            return await self._set_aside(row, user_key, again)
        if found is None:
            return None
        log.info("a %s message cut off midway had reached the platform; not sent again", row.channel)
        return await self._record(row, user_key, Sent("sent", found))

    async def _set_aside(self, row: outbound.Claimed, user_key: str, at: dt.datetime | None) -> Outcome:
        """Not known to have reached the platform nor not to: looked for at `at` (None: never,
        the row ends failed)."""
        async with self.conversations.ordering.hold(row.channel, user_key):
            with self.db.transaction() as conn:
                interrupted.set_aside(conn, row.id, at, self.conversations.now())
        return Outcome(row.id, "failed", outbound.INTERRUPTED, at)

    def _plan(self, row: outbound.Claimed) -> RetryPlan:
        return self.reply_plan if row.kind == REPLY else self.plan

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
            wait = self._plan(row).next_try(row.attempts + 1, sent.retry_after)
            retry_at = now + wait if wait is not None else None
        counted = "retry" if retry_at is not None else status
        for pause in (*RECORD_PAUSES, None):
            try:
                async with self.conversations.ordering.briefly(row.channel, user_key):
                    with self.db.transaction() as conn:
                        if status == "sent":
                            outbound.mark_sent(conn, row.id, sent.external_id, now)
                        elif retry_at is not None:
                            outbound.mark_retry(conn, row.id, sent.error or "failed", retry_at, now)
                        else:
                            outbound.mark_final(conn, row.id, status, sent.error, now, tried=tried)
                        key = f"{row.channel}:{row.kind}:{counted}"
                        bump(conn, mexico_day(now), Counter({("outbound", key): 1}))
                break
            except Exception as error:
                # The platform has answered: what it said is not to be lost to a brief outage
                # (a row left "sending" would be looked for at the platform only after its lease).
                if pause is None or not storage_failed(error):
                    raise
                await asyncio.sleep(pause)
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
