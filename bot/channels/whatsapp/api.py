"""Sending WhatsApp messages through Twilio's REST client: its HTTP goes through one shared
httpx pool (pointed at TWILIO_API_URL when set), with retries and the sender's pace."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import logging
import re
import ssl
from collections.abc import Collection
from typing import Any

import httpx
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from bot.channels.pacing import Pace, retryable
from bot.channels.port import Sent, Unreachable
from bot.channels.whatsapp.inbound import UNSUBSCRIBED
from bot.channels.whatsapp.render import WhatsAppMessage
from bot.settings import Settings

log = logging.getLogger("puente.whatsapp")

_TWILIO_HOST = re.compile(r"^https://[a-z0-9.-]*twilio\.com")
# Retrying these could not send twice: the request never left.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Looking for a message whose send was cut off: Twilio's newest messages to the person, from
# a little before the message was written (Twilio's clock may differ from ours).
_LISTED = 50
_CLOCK_SKEW = dt.timedelta(minutes=1)
# The Retry-After of the answer this task's request gave up on (read by WhatsAppClient.send,
# awaited in the same task, to plan the job queue's next try).
_GAVE_UP_RETRY_AFTER: contextvars.ContextVar[float | None] = contextvars.ContextVar("retry_after", default=None)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context (certifi's CAs) for every pool of the process: httpx builds one per
    client otherwise, reading the CA bundle again (about 20 ms of CPU)."""
    return httpx.create_ssl_context()


class HttpxTransport(AsyncHttpClient):
    """twilio's AsyncHttpClient on httpx: 429 and 5xx are tried again after Retry-After (or
    exponential backoff), so a brief overload at Twilio does not lose a message."""

    def __init__(self, api_url: str, pace: Pace) -> None:
        super().__init__(logger=log, is_async=True, timeout=10.0)
        self.api_url = api_url.rstrip("/")
        self.pace = pace
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = httpx.AsyncClient(limits=httpx.Limits(max_connections=64), verify=_tls())
            self._loop = loop
        return self._client

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if self.api_url:
            url = _TWILIO_HOST.sub(self.api_url, url)
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = await self._http().request(
                    method, url, params=params, data=data, headers=headers, auth=auth,  # type: ignore[arg-type]
                    timeout=timeout or self.timeout, follow_redirects=allow_redirects,
                )
            except _NOT_SENT:
                delay = self.pace.backoff.delay(attempt)
                if delay is None:
                    raise
                await self.pace.sleep(delay)
                continue
            if retryable(answer.status_code):
                delay = self.pace.backoff.delay(attempt, _retry_after(answer.headers))
                if delay is not None:
                    log.info("Twilio answered %s; trying again in %.1f s", answer.status_code, delay)
                    await self.pace.sleep(delay)
                    continue
                _GAVE_UP_RETRY_AFTER.set(_retry_after(answer.headers))
            return Response(answer.status_code, answer.text, answer.headers)

    async def close(self) -> None:
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.aclose()
        self._client = None


def _retry_after(headers: httpx.Headers) -> float | None:
    try:
        return float(headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def whatsapp_address(number: str) -> str:
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


class WhatsAppClient:
    def __init__(self, settings: Settings, pace: Pace | None = None) -> None:
        self.pace = pace or Pace()
        self.sender = whatsapp_address(settings.twilio_whatsapp_from)
        self.transport = HttpxTransport(settings.twilio_api_url, self.pace)
        self.client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            http_client=self.transport,
            # Configuration comes from Settings only: no TWILIO_* surprises from the environment.
            environment={"TWILIO_EDGE": "", "TWILIO_REGION": ""},
        )
        self.bucket = self.pace.budget(f"whatsapp:{self.sender}", float(settings.whatsapp_messages_per_second))

    async def send(self, to: str, message: WhatsAppMessage, status_callback: str | None = None) -> Sent:
        await self.bucket.take()
        fields: dict[str, Any] = {"to": to, "from_": self.sender}
        if status_callback:
            fields["status_callback"] = status_callback
        if message.plain:
            fields["body"] = message.body
        else:
            fields["content_sid"] = message.content_sid
            variables = message.variables_json()
            if variables:
                fields["content_variables"] = variables
        _GAVE_UP_RETRY_AFTER.set(None)
        try:
            created = await self.client.messages.create_async(**fields)
        except TwilioRestException as error:
            code = str(error.code or error.status)
            if error.code == UNSUBSCRIBED:
                return Sent("opted_out", error=code)
            log.warning("Twilio refused a message: error %s", code)
            again = retryable(int(error.status or 0))
            return Sent("failed", error=code, retryable=again,
                        retry_after=_GAVE_UP_RETRY_AFTER.get() if again else None)
        except httpx.HTTPError as error:
            log.warning("Twilio unreachable: %s", type(error).__name__)
            # Never connected: worth another try later; a timeout may have reached Twilio (the
            # outbox looks for it in Twilio's list before trying again).
            never = isinstance(error, _NOT_SENT)
            return Sent("failed", error=type(error).__name__, retryable=never, maybe_taken=not never)
        return Sent("sent", created.sid)

    async def find_sent(self, to: str, message: WhatsAppMessage, since: dt.datetime,
                        known: Collection[str]) -> str | None:
        """The sid of `message` if Twilio already took it: among Twilio's newest messages from our
        sender to `to`, created since `since` (less the clock skew), not one of the `known` sids,
        the oldest with the same text (a template's: with every variable in what Twilio
        rendered). Raises Unreachable when Twilio cannot be asked."""
        try:
            listed = await self.client.messages.list_async(to=to, from_=self.sender, limit=_LISTED,
                                                           page_size=_LISTED)
        except (TwilioException, httpx.HTTPError) as error:  # a failed page is a TwilioException
            raise Unreachable(type(error).__name__) from error
        earliest = since - _CLOCK_SKEW
        found = [m for m in listed if m.sid and m.sid not in known and m.date_created is not None
                 and m.date_created >= earliest and _same(message, m.body or "")]
        if not found:
            return None
        return min(found, key=lambda m: m.date_created).sid  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.transport.close()


def _same(message: WhatsAppMessage, body: str) -> bool:
    if message.plain:
        return body == message.body
    return all(str(value) in body for value in message.variables.values())
