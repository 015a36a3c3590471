"""The WhatsApp channel (through Twilio) behind the port: signed form posts in, TwiML replies
out, or REST messages when a reply uses quick replies or a list; delivery status reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from bot.channels.port import (
    Forbidden,
    HttpReply,
    Malformed,
    OptOut,
    Received,
    Sent,
    WebhookCall,
)
from bot.channels.whatsapp.api import WhatsAppClient
from bot.channels.whatsapp.inbound import CHANNEL, decode_form, keyword, read_form, read_status
from bot.channels.whatsapp.render import WhatsAppMessage, WhatsAppRenderer, twiml
from bot.channels.whatsapp.signature import HEADER, Signature
from bot.messages import Outbound
from bot.settings import Settings, content_sids

STATUS_PATH = "/webhooks/whatsapp/status"
_XML = "application/xml"
_REPORTED = HttpReply(status=204)


class WhatsAppChannel:
    name = CHANNEL

    def __init__(
        self, settings: Settings, client: WhatsAppClient, list_button: Callable[[str | None], str]
    ) -> None:
        """`list_button`: the label of the button that opens a list, in a language."""
        self.settings = settings
        self.client = client
        self.list_button = list_button
        self.signature = Signature(settings)
        self.renderer = WhatsAppRenderer(
            content_sids(settings.twilio_quick_reply_sids), content_sids(settings.twilio_list_picker_sids)
        )

    def authenticate(self, call: WebhookCall) -> dict[str, str]:
        """The form, when its X-Twilio-Signature matches. A body that is not a form is
        Malformed (400) before any signature is checked."""
        form = decode_form(call)
        if form is None:
            raise Malformed("not a form")
        if not self.signature.valid(call.path, form, call.headers.get(HEADER, "")):
            raise Forbidden("wrong signature")
        return form

    def parse(self, raw: Mapping[str, str]) -> Received:
        """A message: a turn, or STOP / START (the whole message, any case)."""
        inbound = read_form(raw)
        word = keyword(raw)
        opt_out = None
        if word is not None:
            opt_out = OptOut(inbound.user_key, word == "stop", inbound.external_id, said=True)
        return Received(CHANNEL, inbound.user_key, inbound, opt_out)

    def parse_status(self, raw: Mapping[str, str]) -> Received:
        """A status callback: what became of a message the bot sent."""
        report = read_status(raw)
        return Received(CHANNEL, report.recipient, report=report)

    def render(self, address: str, replies: Sequence[Outbound], language: str | None, *,
               first: bool = False) -> list[WhatsAppMessage]:
        """Options numbered ("2" is read at the current question); when the bot writes first,
        bulleted instead ("2" would be read against whatever question the user is at)."""
        return self.renderer.render(replies, self.list_button(language), numbers=not first)

    def restore(self, address: str, record: Mapping[str, Any]) -> WhatsAppMessage:
        return WhatsAppMessage.from_record(record)

    def template(self, content_sid: str, variables: Mapping[str, str]) -> WhatsAppMessage:
        return WhatsAppMessage(content_sid=content_sid, variables=dict(variables))

    def split(self, messages: list[WhatsAppMessage]) -> tuple[list[WhatsAppMessage], list[WhatsAppMessage]]:
        """Plain texts ride in the TwiML response; a reply with quick replies or a list needs
        the REST API, and then all of the turn's replies go that way, in order."""
        if all(message.plain for message in messages):
            return [], messages
        return messages, []

    async def respond(self, received: Received, messages: list[WhatsAppMessage]) -> HttpReply:
        """TwiML with `messages` (204 to a status report)."""
        if received.report is not None:
            return _REPORTED
        return HttpReply(twiml(messages), _XML)

    async def send(self, address: str, message: WhatsAppMessage, *, first: bool = False) -> Sent:
        return await self.client.send(address, message, self.status_callback)

    # Twilio lists the messages it took: a send cut off is looked for there before another try.
    lists_sent = True

    async def find_sent(self, address: str, message: WhatsAppMessage, since: dt.datetime,
                        known: Collection[str]) -> str | None:
        return await self.client.find_sent(address, message, since, known)

    @property
    def status_callback(self) -> str | None:
        return self.settings.public(STATUS_PATH) if self.settings.public_url else None

    async def close(self) -> None:
        await self.client.close()
