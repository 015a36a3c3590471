"""What a channel received, handled by the conversation: a message's turn, an opt-out keyword
(STOP / START) or a blocked bot, a delivery report; and the turn's replies delivered: those
the channel sends through its API are outbound rows kept with the turn and sent now by the
outbox (later by its sweep when the platform does not take them), the others ride in the
webhook's response; a redelivered message gets its stored answer again."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from bot.channels.port import ChannelPort, OptOut, Received
from bot.conversation.answers import REPLY, Planned, Planner
from bot.conversation.optouts import OptOuts
from bot.conversation.outbox import Outbox
from bot.conversation.reports import DeliveryReports
from bot.conversation.service import ConversationService, TurnOutcome
from bot.i18n import suggest_language
from bot.messages import Inbound, Outbound
from bot.metrics import Metrics

# What a platform says when the user does not want the bot's messages (Telegram: blocked;
# Twilio: error 21610).
_REFUSED = ("blocked", "opted_out")


class Inbox:
    def __init__(
        self,
        conversations: ConversationService,
        optouts: OptOuts,
        reports: DeliveryReports,
        metrics: Metrics,
        *,
        default_language: str = "es",
    ) -> None:
        self.conversations = conversations
        self.optouts = optouts
        self.reports = reports
        self.metrics = metrics
        self.default_language = default_language

    async def receive(self, received: Received, planner: Planner | None = None) -> TurnOutcome:
        """The outcome (no replies for a report or an ignored update). With a `planner` a
        turn's replies are kept with it (TurnOutcome.kept). Raises DatabaseUnavailable:
        nothing is recorded, and the platform asks again later."""
        if received.report is not None:
            await self.reports.record(received.report)
            return TurnOutcome()
        change = received.opt_out
        if change is not None and (
            change.opted_out or not change.said
            or self.optouts.is_opted_out(received.channel, change.user_key)
        ):
            return await self._opt(received.channel, change, received.inbound)
        # (A START from someone who never said STOP is an ordinary message.)
        inbound = received.inbound
        if inbound is None:
            return TurnOutcome()
        started = time.perf_counter()
        outcome = await self.conversations.handle(inbound, planner)
        self.metrics.turn(inbound.channel, time.perf_counter() - started, failed=outcome.failed)
        return outcome

    @staticmethod
    def planner(channel: ChannelPort[Any, Any], received: Received, *, respond: bool = True) -> Planner:
        """The channel renders and splits a turn's replies (`respond` False: no response to
        ride in, everything through the API: polling)."""

        def plan(replies: list[Outbound], language: str | None) -> Planned:
            messages = channel.render(received.address, replies, language)
            by_api, inline = channel.split(messages) if respond else (messages, [])
            return Planned([m.record() for m in by_api], [m.record() for m in inline])

        return plan

    async def answer(self, channel: ChannelPort[Any, Any], outbox: Outbox, received: Received,
                     outcome: TurnOutcome) -> list[Any]:
        """Deliver a turn's replies; the messages left for the webhook's response. Those sent
        through the API go first; when one of them was not accepted, the response's replies
        go to the outbox behind it instead (the order holds)."""
        address, kept = received.address, outcome.kept
        if kept is None:  # unplanned (an opt-out answer, the replies after a deletion)
            messages = channel.render(address, outcome.replies, outcome.language)
            by_api, inline = channel.split(messages)
            return inline if not by_api or await self.deliver(channel, address, by_api) else []
        assert outcome.contact_id is not None
        accepted = True
        if kept.send_now:
            sent = await outbox.send_reply(outcome.contact_id, kept.send_now)
            accepted = all(o.status in ("sent", "busy") for o in sent)
        if accepted:
            return [channel.restore(address, record) for record in kept.inline]
        if kept.inline and any(o.retry_at is not None for o in sent):
            await outbox.queue_behind(outcome.contact_id, channel.name, str(address), REPLY,
                                      kept.inline, answer_id=kept.answer_id, before=kept.send_now)
        return []

    async def _opt(self, channel: str, change: OptOut, inbound: Inbound | None) -> TurnOutcome:
        marked = await self.optouts.mark(
            channel, change.user_key, change.opted_out,
            external_id=change.external_id, inbound=change.said, create=change.said,
        )
        if marked.duplicate or not change.said:
            return TurnOutcome(duplicate=marked.duplicate, contact_id=marked.contact_id)
        language = marked.language or suggest_language(None, inbound.phone if inbound else None)
        answer = self._text("opted_out" if change.opted_out else "opted_in", language)
        return TurnOutcome([Outbound(answer)], contact_id=marked.contact_id, language=language)

    def _text(self, key: str, language: str | None) -> str:
        return self.conversations.live.content.messages[key].get(language or self.default_language)[0]

    async def deliver(self, channel: ChannelPort[Any, Any], address: Any, messages: Sequence[Any]) -> bool:
        """Send the replies in order through the channel's API; False when one was not sent (the
        turn is stored; the rest would make no sense without it)."""
        for message in messages:
            sent = await channel.send(address, message)
            self.metrics.sent(channel.name, sent.status)
            if sent.status in _REFUSED:
                await self.optouts.mark(channel.name, str(address), True)
                return False
            if sent.status != "sent":
                self.metrics.error(channel.name, "send_failed")
                return False
        return True
