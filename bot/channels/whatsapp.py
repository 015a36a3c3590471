"""The WhatsApp channel through Twilio: signed form posts in, a turn, TwiML replies out (or
REST messages when a reply uses quick replies); STOP / START; delivery status reports."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Mapping

from twilio.request_validator import RequestValidator

from bot.channels.optout import OptOuts
from bot.channels.whatsapp_api import UNSUBSCRIBED, WhatsAppClient
from bot.channels.whatsapp_inbound import CHANNEL, keyword, read_form
from bot.channels.whatsapp_render import WhatsAppMessage, WhatsAppRenderer, twiml
from bot.content.live import LiveContent
from bot.conversation import ConversationService
from bot.i18n import suggest_language
from bot.metrics import Metrics
from bot.settings import Settings, content_sids
from db import outbound
from db.counters import bump
from db.database import Database

log = logging.getLogger("puente.whatsapp")

STATUS_PATH = "/webhooks/whatsapp/status"


class MalformedStatus(ValueError):
    """A status callback without MessageSid / MessageStatus (answered with 400)."""


class WhatsAppChannel:
    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        conversations: ConversationService,
        optouts: OptOuts,
        client: WhatsAppClient,
        live: LiveContent,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.conversations = conversations
        self.db: Database = conversations.db
        self.optouts = optouts
        self.client = client
        self.live = live
        self.metrics = metrics
        self.validator = RequestValidator(settings.twilio_auth_token)
        self.renderer = WhatsAppRenderer(
            content_sids(settings.twilio_quick_reply_sids), content_sids(settings.twilio_list_picker_sids)
        )

    def authentic(self, path_and_query: str, form: Mapping[str, str], signature: str) -> bool:
        """X-Twilio-Signature, computed by Twilio over PUBLIC_URL + path and the form fields."""
        if not signature:
            return False
        return bool(self.validator.validate(self.settings.public(path_and_query), dict(form), signature))

    def text(self, key: str, language: str | None) -> str:
        return self.live.content.messages[key].get(language or self.settings.default_language)[0]

    async def receive(self, form: Mapping[str, str]) -> tuple[str, list[WhatsAppMessage]]:
        """(recipient, replies). Raises MalformedForm (400) or DatabaseUnavailable (503)."""
        inbound = read_form(form)
        word = keyword(form)
        if word == "stop" or (
            word == "start" and self.optouts.is_opted_out(CHANNEL, inbound.user_key)
        ):
            marked = await self.optouts.mark(
                CHANNEL, inbound.user_key, word == "stop",
                external_id=inbound.external_id, inbound=True, create=True,
            )
            if marked.duplicate:
                return inbound.user_key, []
            language = marked.language or suggest_language(None, inbound.phone)
            answer = self.text("opted_out" if word == "stop" else "opted_in", language)
            return inbound.user_key, [WhatsAppMessage(answer)]
        started = time.perf_counter()
        outcome = await self.conversations.handle(inbound)
        self.metrics.turn(CHANNEL, time.perf_counter() - started, failed=outcome.failed)
        if outcome.duplicate:
            return inbound.user_key, []
        messages = self.renderer.render(outcome.replies, self.text("list_button", outcome.language))
        return inbound.user_key, messages

    async def deliver(self, to: str, messages: list[WhatsAppMessage]) -> str:
        """TwiML for the webhook's response. Plain texts ride in it; a reply with quick replies
        or a list needs the REST API, and then all of the turn's replies go that way, in order."""
        if all(message.plain for message in messages):
            return twiml(messages)
        for message in messages:
            sent = await self.client.send(to, message, self.status_callback)
            self.metrics.sent(CHANNEL, sent.status)
            if sent.status == "opted_out":
                await self.optouts.mark(CHANNEL, to, True)
                break
            if sent.status != "sent":
                self.metrics.error(CHANNEL, "send_failed")
                break
        return twiml([])

    @property
    def status_callback(self) -> str | None:
        return self.settings.public(STATUS_PATH) if self.settings.public_url else None

    async def status(self, form: Mapping[str, str]) -> None:
        """Record a delivery report: the outbound message's status, a daily count, and an
        opt-out when Twilio says the user sent STOP (error 21610)."""
        sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
        if not sid or not status:
            raise MalformedStatus("MessageSid and MessageStatus are required")
        error = form.get("ErrorCode") or None
        recipient = form.get("To", "")
        async with self.conversations.serialized(CHANNEL, recipient):
            moment = dt.datetime.fromtimestamp(self.conversations.clock(), dt.UTC)
            with self.db.transaction() as conn:
                outbound.report_status(conn, CHANNEL, sid[:64], status, error and error[:64], moment)
                counts = Counter({("whatsapp_status", status[:40]): 1})
                if error:
                    counts[("whatsapp_error", error[:40])] += 1
                bump(conn, moment.date(), counts)
        if error == str(UNSUBSCRIBED) and recipient.startswith("whatsapp:"):
            await self.optouts.mark(CHANNEL, recipient, True)
