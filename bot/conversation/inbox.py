"""What a channel received, handled by the conversation: a message's turn, an opt-out keyword
(STOP / START) or a blocked bot, a delivery report; and the replies the channel could not
carry in its response, sent in order (a user who blocked the bot is marked)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from bot.channels.port import ChannelPort, OptOut, Received
from bot.conversation.optouts import OptOuts
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

    async def receive(self, received: Received) -> TurnOutcome:
        """The replies (none for a redelivery, a report or an ignored update). Raises
        DatabaseUnavailable: nothing is recorded, and the platform asks again later."""
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
        outcome = await self.conversations.handle(inbound)
        self.metrics.turn(inbound.channel, time.perf_counter() - started, failed=outcome.failed)
        return outcome

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
