"""The port every channel implements, and the channel-neutral words it speaks.

A channel translates and nothing more: it authenticates a platform's request, parses it
into `Received` (a message, an opt-out, a delivery report), renders replies as the
platform's messages, says which of them ride in the HTTP response and which go through the
platform's API, and sends those. What the request means for a person (a turn, a flag, a row) is
the conversation's business (bot/conversation/), which is why no module of bot/channels/
imports it or db/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bot.messages import Inbound, Outbound


class Refused(ValueError):
    """A request the webhook refuses (never a stack trace, never a 5xx)."""


class Forbidden(Refused):
    """Not from the platform: a wrong secret or signature (403)."""


class Malformed(Refused):
    """Not what the platform sends (400)."""


class Unreachable(Exception):
    """The platform could not be reached; asking again later is safe."""


class WebhookCall:
    """A platform's HTTP request to a webhook, as a channel reads it: its headers
    (case-insensitive from the web server), its body (None: larger than anything the platform
    sends) and the path and query of its URL, as the platform signed it (after PUBLIC_URL),
    worked out only when a channel asks."""

    __slots__ = ("headers", "body", "_path", "_signed_path")

    def __init__(self, headers: Mapping[str, str], body: bytes | None, path: Callable[[], str]) -> None:
        self.headers = headers
        self.body = body
        self._path = path
        self._signed_path: str | None = None

    @property
    def path(self) -> str:
        if self._signed_path is None:
            self._signed_path = self._path()
        return self._signed_path


@dataclass(frozen=True)
class OptOut:
    """The user stops (or resumes) the messages the bot sends first."""

    user_key: str
    opted_out: bool
    # The message or update id: a redelivered keyword is not handled twice.
    external_id: str | None = None
    # Said in a message (WhatsApp STOP / START): answered, and it counts as the user's
    # message. False for a platform event (the user blocked the bot on Telegram).
    said: bool = False


@dataclass(frozen=True)
class DeliveryReport:
    """What became of a message the bot sent, as the platform reports it later."""

    channel: str
    external_id: str
    status: str
    recipient: str
    error: str | None = None
    # The platform refuses to message the recipient again (Twilio error 21610).
    unsubscribed: bool = False


@dataclass(frozen=True)
class Received:
    """What one request (or polled update) says; every part may be absent (nothing to do)."""

    channel: str
    # Where replies go: a Telegram chat id, a WhatsApp address.
    address: Any = None
    inbound: Inbound | None = None
    opt_out: OptOut | None = None
    report: DeliveryReport | None = None
    # Telegram: the tapped button to answer (callback query id), so it stops spinning.
    tap: str | None = None


@dataclass(frozen=True)
class Sent:
    """What became of one message sent through a platform API: sent (with the platform's id),
    blocked / opted_out (the user does not want it), or failed (an error code or type)."""

    status: str
    external_id: str | None = None
    error: str | None = None
    # A failure worth another try later (the platform's overload or trouble, a connection
    # never made); not one that may have reached the user (a timeout) or a refusal.
    retryable: bool = False
    # Seconds the platform asked to wait before that try.
    retry_after: float | None = None
    # Failed, but the request may have reached the platform (a timeout, an answer cut off):
    # where the platform lists what it took, it is looked for there before any other try.
    maybe_taken: bool = False


@dataclass(frozen=True)
class HttpReply:
    """The webhook's HTTP answer, decided by the channel."""

    body: str | bytes = b""
    media_type: str | None = None
    status: int = 200


class Message(Protocol):
    """One platform message, as rendered by its channel."""

    def record(self) -> dict[str, Any]:
        """What is kept of it in outbound_messages (text and choices, or a template)."""
        ...


M = TypeVar("M", bound=Message)
Raw = TypeVar("Raw")

class ChannelPort(Protocol[Raw, M]):
    name: str

    def authenticate(self, call: WebhookCall) -> Raw:
        """The request's payload if it comes from the platform; raises Forbidden or Malformed."""
        ...

    def parse(self, raw: Raw) -> Received:
        """Raises Malformed."""
        ...

    def render(self, address: Any, replies: Sequence[Outbound], language: str | None, *,
               first: bool = False) -> list[M]:
        """`first`: the bot writes first (an alert), not in answer to the user's message."""
        ...

    def template(self, content_sid: str, variables: Mapping[str, str]) -> M | None:
        """An approved template (None: the channel has none)."""
        ...

    def split(self, messages: list[M]) -> tuple[list[M], list[M]]:
        """(those sent through the API first, in order; those that ride in the response)."""
        ...

    async def respond(self, received: Received, messages: list[M]) -> HttpReply:
        """The webhook's answer carrying `messages` (what `split` kept for it)."""
        ...

    def restore(self, address: Any, record: Mapping[str, Any]) -> M:
        """The message again, from what `record()` kept of it (a later try of an outbox row)."""
        ...

    async def send(self, address: Any, message: M, *, first: bool = False) -> Sent: ...

    # Whether the platform lists the messages it took (Twilio does; Telegram's Bot API does not).
    lists_sent: bool

    async def find_sent(self, address: Any, message: M, since: dt.datetime, known: Collection[str]) -> str | None:
        """The platform's id of `message` if it already took it (sent to `address` since `since`,
        not one of the `known` ids), else None; only when `lists_sent`. Raises Unreachable."""
        ...
