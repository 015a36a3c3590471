"""The Notifier for real: messages the bot sends first (alerts, staff replies). It decides
who is reached on which channel, and whether now (opted out; WhatsApp's 24-hour window and
templates); the channels render and send; every attempt leaves a row in outbound_messages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from bot.channels.port import ChannelPort, Sent
from bot.conversation import whatsapp_window
from bot.conversation.optouts import OptOuts
from bot.conversation.service import ConversationService
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
    ) -> None:
        self.conversations = conversations
        self.db = conversations.db
        self.optouts = optouts
        self.metrics = metrics
        self.channels = channels

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
        results: list[tuple[dict[str, Any], Sent]] = []
        for message in rendered:
            sent = await port.send(user_key, message, first=True)
            results.append((message.record(), sent))
            if sent.status != "sent":
                break
        return await self._finish(contact_id, channel, user_key, kind, results)

    async def _finish(
        self, contact_id: int, channel: str, user_key: str, kind: str,
        results: list[tuple[dict[str, Any], Sent]],
    ) -> Delivery:
        async with self.conversations.ordering.hold(channel, user_key):
            moment = self.conversations.now()
            with self.db.transaction() as conn:
                for body, sent in results:
                    status = "opted_out" if sent.status == "blocked" else sent.status
                    outbound.record(
                        conn, contact_id=contact_id, channel=channel, kind=kind, status=status,
                        body=body, now=moment, external_id=sent.external_id, error=sent.error,
                    )
                    self.metrics.sent(channel, status)
                outcome = results[-1][1].status
                bump(conn, moment.date(), Counter({("outbound", f"{channel}:{kind}:{outcome}"): 1}))
        last = results[-1][1]
        if last.status in ("blocked", "opted_out"):
            await self.optouts.mark(channel, user_key, True)
            return Delivery(DeliveryStatus.OPTED_OUT, "the user blocked the bot or sent STOP")
        if last.status != "sent":
            return Delivery(DeliveryStatus.FAILED, last.error or "")
        return Delivery(DeliveryStatus.SENT)

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
                bump(conn, moment.date(), Counter({("outbound", f"{channel}:{kind}:{status}"): 1}))
        self.metrics.sent(channel, status, len(bodies))
