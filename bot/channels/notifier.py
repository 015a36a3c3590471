"""The Notifier for real: messages the bot sends first (alerts, staff replies), through the
Telegram Bot API or Twilio's REST API, within WhatsApp's 24-hour window or as a template."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Sequence

from bot.channels.optout import OptOuts
from bot.channels.pacing import Sent
from bot.channels.telegram_api import TelegramClient
from bot.channels.telegram_render import render as render_telegram
from bot.channels.whatsapp import WhatsAppChannel
from bot.channels.whatsapp_render import WhatsAppMessage
from bot.conversation import ConversationService
from bot.messages import Outbound
from bot.metrics import Metrics
from bot.notify import Delivery, DeliveryStatus, Template
from db import outbound
from db.counters import bump

# WhatsApp lets a business write freely for 24 hours after the user's last message; after
# that only an approved template may open the conversation again.
WINDOW = dt.timedelta(hours=24)


class ChannelNotifier:
    """Implements bot.notify.Notifier. Every attempt leaves a row in outbound_messages."""

    def __init__(
        self,
        conversations: ConversationService,
        optouts: OptOuts,
        metrics: Metrics,
        *,
        telegram: TelegramClient | None = None,
        whatsapp: WhatsAppChannel | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.conversations = conversations
        self.db = conversations.db
        self.optouts = optouts
        self.metrics = metrics
        self.telegram = telegram
        self.whatsapp = whatsapp
        self._clock = clock

    def now(self) -> dt.datetime:
        clock = self._clock or self.conversations.clock or time.time
        return dt.datetime.fromtimestamp(clock(), dt.UTC)

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
        reachable = {"telegram": self.telegram, "whatsapp": self.whatsapp}
        target = next(((c, k) for c, k in who.identities if reachable.get(c) is not None), None)
        if target is None:
            return Delivery(DeliveryStatus.FAILED, "no channel is configured for this contact")
        channel, user_key = target
        bodies = [{"text": m.text, "choices": [c.label for c in m.choices]} for m in messages]
        if template is not None and not messages:
            bodies = [{"content_sid": template.content_sid, "variables": dict(template.variables)}]
        if who.opted_out:
            await self._keep(contact_id, channel, user_key, kind, "opted_out", bodies)
            return Delivery(DeliveryStatus.OPTED_OUT, "the user opted out")
        if channel == "telegram":
            return await self._telegram(contact_id, user_key, list(messages), kind)
        window_open = who.last_inbound_at is not None and self.now() - who.last_inbound_at < WINDOW
        if not window_open and template is None:
            await self._keep(contact_id, channel, user_key, kind, "not_sendable", bodies)
            return Delivery(DeliveryStatus.NOT_SENDABLE, "outside the 24-hour window and no template")
        if not window_open:
            messages = []  # only the template may open the conversation again
        return await self._whatsapp(contact_id, user_key, who.language, list(messages), template, kind)

    async def _telegram(
        self, contact_id: int, chat_id: str, messages: list[Outbound], kind: str
    ) -> Delivery:
        assert self.telegram is not None
        rendered = render_telegram(chat_id, messages)
        if not rendered:
            return Delivery(DeliveryStatus.FAILED, "nothing to send")
        results: list[tuple[dict, Sent]] = []
        for message in rendered:
            sent = await self.telegram.send(message, first=True)
            results.append((message.record(), sent))
            if sent.status != "sent":
                break
        return await self._finish(contact_id, "telegram", chat_id, kind, results)

    async def _whatsapp(
        self,
        contact_id: int,
        to: str,
        language: str | None,
        messages: list[Outbound],
        template: Template | None,
        kind: str,
    ) -> Delivery:
        """Inside the window the messages themselves (a template only when there are none)."""
        assert self.whatsapp is not None
        channel = self.whatsapp
        rendered: list[WhatsAppMessage] = []
        if messages:
            list_button = channel.text("list_button", language)
            rendered = channel.renderer.render(messages, list_button, numbers=False)
        elif template is not None:
            rendered = [WhatsAppMessage(content_sid=template.content_sid, variables=dict(template.variables))]
        if not rendered:
            return Delivery(DeliveryStatus.FAILED, "nothing to send")
        results: list[tuple[dict, Sent]] = []
        for message in rendered:
            sent = await channel.client.send(to, message, channel.status_callback)
            results.append((message.record(), sent))
            if sent.status != "sent":
                break
        return await self._finish(contact_id, "whatsapp", to, kind, results)

    async def _finish(
        self, contact_id: int, channel: str, user_key: str, kind: str,
        results: list[tuple[dict, Sent]],
    ) -> Delivery:
        async with self.conversations.serialized(channel, user_key):
            moment = self.now()
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
        bodies: list[dict],
    ) -> None:
        """Not sent, but kept and counted: staff see what could not reach whom, and why."""
        async with self.conversations.serialized(channel, user_key):
            moment = self.now()
            with self.db.transaction() as conn:
                for body in bodies:
                    outbound.record(
                        conn, contact_id=contact_id, channel=channel, kind=kind, status=status,
                        body=body, now=moment,
                    )
                bump(conn, moment.date(), Counter({("outbound", f"{channel}:{kind}:{status}"): 1}))
        self.metrics.sent(channel, status, len(bodies))
