"""The Notifier for real: messages the bot sends first (alerts, staff replies). It decides
who is reached on which channel, and whether now (opted out; WhatsApp's 24-hour window and
templates); the channels render; the outbox (outbox.py) stores, sends and, when the platform
does not accept a message, tries again later. Every message leaves a row in outbound_messages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from bot.channels.port import ChannelPort
from bot.conversation import whatsapp_window
from bot.conversation.optouts import OptOuts
from bot.conversation.outbox import Outbox, Outcome
from bot.conversation.service import ConversationService
from bot.days import mexico_day
from bot.messages import Delivery, DeliveryStatus, Outbound, Template
from bot.metrics import Metrics
from db import outbound
from db.counters import bump


class ChannelNotifier:
    """Implements notify.Notifier over the channels this process has."""

    def __init__(
        self,
        conversations: ConversationService,
        optouts: OptOuts,
        metrics: Metrics,
        channels: Mapping[str, ChannelPort[Any, Any]],
        outbox: Outbox | None = None,
    ) -> None:
        self.conversations = conversations
        self.db = conversations.db
        self.optouts = optouts
        self.metrics = metrics
        self.channels = channels
        self.outbox = outbox or Outbox(conversations, optouts, metrics, channels)

    async def send(
        self,
        contact_id: int,
        messages: Sequence[Outbound],
        *,
        template: Template | None = None,
        kind: str = "alert",
    ) -> Delivery:
        with self.db.transaction() as conn:
            who = outbound.recipient(conn, contact_id)
        if who is None:
            return Delivery(DeliveryStatus.FAILED, "no such contact")
        target = next(((c, k) for c, k in who.identities if c in self.channels), None)
        if target is None:
            return Delivery(DeliveryStatus.FAILED, "no channel is configured for this contact")
        channel, user_key = target
        bodies = [{"text": m.text, "choices": [c.label for c in m.choices]} for m in messages]
        if template is not None and not messages:
            bodies = [{"content_sid": template.content_sid, "variables": dict(template.variables)}]
        if who.opted_out:
            await self._keep(contact_id, channel, user_key, kind, "opted_out", bodies)
            return Delivery(DeliveryStatus.OPTED_OUT, "the user opted out")
        now = self.conversations.now()
        if whatsapp_window.applies(channel) and not whatsapp_window.is_open(who.last_inbound_at, now):
            if template is None:
                await self._keep(contact_id, channel, user_key, kind, "not_sendable", bodies)
                return Delivery(DeliveryStatus.NOT_SENDABLE, "outside the 24-hour window and no template")
            messages = []  # only the template may open the conversation again
        port = self.channels[channel]
        # The messages themselves; a template only when there are none (inside the window).
        rendered: list[Any] = []
        if messages:
            rendered = port.render(user_key, messages, who.language, first=True)
        elif template is not None:
            opening = port.template(template.content_sid, template.variables)
            rendered = [opening] if opening is not None else []
        if not rendered:
            return Delivery(DeliveryStatus.FAILED, "nothing to send")
        outcomes = await self.outbox.send_new(contact_id, channel, user_key, kind, [m.record() for m in rendered])
        return delivery(outcomes)

    async def _keep(
        self, contact_id: int, channel: str, user_key: str, kind: str, status: str,
        bodies: list[dict[str, Any]],
    ) -> None:
        """Not sent, but kept and counted: staff see what could not reach whom, and why."""
        async with self.conversations.ordering.hold(channel, user_key):
            moment = self.conversations.now()
            with self.db.transaction() as conn:
                for body in bodies:
                    outbound.record(
                        conn, contact_id=contact_id, channel=channel, kind=kind, status=status,
                        body=body, now=moment,
                    )
                bump(conn, mexico_day(moment), Counter({("outbound", f"{channel}:{kind}:{status}"): 1}))
        self.metrics.sent(channel, status, len(bodies))


def delivery(outcomes: list[Outcome]) -> Delivery:
    """The first message that did not go decides (the others waited behind it)."""
    for outcome in outcomes:
        if outcome.status == "opted_out":
            return Delivery(DeliveryStatus.OPTED_OUT, "the user blocked the bot or sent STOP")
        if outcome.status == "not_sendable":
            return Delivery(DeliveryStatus.NOT_SENDABLE, "outside the 24-hour window and no template")
        if outcome.status != "sent":
            return Delivery(DeliveryStatus.FAILED, outcome.error or "", retry_at=outcome.retry_at)
    return Delivery(DeliveryStatus.SENT)
