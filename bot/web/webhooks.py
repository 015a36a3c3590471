"""POST /webhooks/telegram, /webhooks/whatsapp and /webhooks/whatsapp/status.

A webhook answers 2xx only after the turn is stored; 403 for a forged secret or signature,
400 for a body that is not what the platform sends (never a stack trace), 503 while the
database is away so the platform tries again later."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import App
from db.database import DatabaseUnavailable

log = logging.getLogger("puente.web")

Endpoint = Callable[[Request], Awaitable[Response]]

# Platforms post a few kilobytes; anything far larger is not from them.
MAX_BODY = 256 * 1024


def routes(app: App) -> list[BaseRoute]:
    found: list[BaseRoute] = []
    if app.channels.telegram is not None and app.settings.telegram_webhook_enabled:
        found.append(Route("/webhooks/telegram", telegram_endpoint(app), methods=["POST"]))
    if app.channels.whatsapp is not None and app.settings.whatsapp_webhook_enabled:
        found.append(Route("/webhooks/whatsapp", whatsapp_endpoint(app), methods=["POST"]))
        found.append(Route("/webhooks/whatsapp/status", whatsapp_status_endpoint(app), methods=["POST"]))
    return found


def refuse(app: App, channel: str, status: int, kind: str) -> Response:
    app.channels.metrics.error(channel, kind)
    return PlainTextResponse(kind.replace("_", " "), status_code=status)


def telegram_endpoint(app: App) -> Endpoint:
    from bot.channels.telegram_inbound import MalformedUpdate

    secret = app.settings.telegram_webhook_secret.encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get("x-telegram-bot-api-secret-token", "").encode()
        if not hmac.compare_digest(given, secret):
            return refuse(app, "telegram", 403, "forbidden")
        channel = app.channels.telegram
        assert channel is not None
        body = await _body(request)
        try:
            if body is None:
                raise ValueError("too large")
            plan = await channel.receive(json.loads(body))
        except (ValueError, MalformedUpdate):  # json's errors are ValueErrors
            return refuse(app, "telegram", 400, "malformed")
        except DatabaseUnavailable:
            return refuse(app, "telegram", 503, "database_unavailable")
        last = await channel.deliver(plan, keep_last=True, acknowledge=False)
        # A tapped button is answered just after the reply (the channel's own tasks do it).
        channel.acknowledge_soon(plan)
        if last is None:
            return Response(status_code=200)
        # One Bot API call may ride in the response: the reply costs no request of our own.
        body = json.dumps(last.webhook_reply(), ensure_ascii=False)
        return Response(body, media_type="application/json")

    return telegram


async def twilio_form(request: Request) -> dict[str, str] | None:
    """The form Twilio posts (application/x-www-form-urlencoded, UTF-8), or None if it is not one."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    body = await _body(request)
    if body is None:
        return None
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
    except ValueError:  # includes UnicodeDecodeError
        return None


async def _body(request: Request) -> bytes | None:
    """The request body, or None past MAX_BODY (read in chunks: a false length is no way round)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def signed_form(app: App, request: Request) -> dict[str, str] | Response:
    """The form Twilio posted, or the refusal: 400 when it is not a form, 403 when its
    X-Twilio-Signature does not match."""
    channel = app.channels.whatsapp
    assert channel is not None
    form = await twilio_form(request)
    if form is None:
        return refuse(app, "whatsapp", 400, "malformed")
    if not channel.authentic(_signed_path(request), form, request.headers.get("x-twilio-signature", "")):
        return refuse(app, "whatsapp", 403, "forbidden")
    return form


def _signed_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def whatsapp_endpoint(app: App) -> Endpoint:
    from bot.channels.whatsapp_inbound import MalformedForm

    async def whatsapp(request: Request) -> Response:
        channel = app.channels.whatsapp
        assert channel is not None
        form = await signed_form(app, request)
        if isinstance(form, Response):
            return form
        try:
            recipient, messages = await channel.receive(form)
        except MalformedForm:
            return refuse(app, "whatsapp", 400, "malformed")
        except DatabaseUnavailable:
            return refuse(app, "whatsapp", 503, "database_unavailable")
        return Response(await channel.deliver(recipient, messages), media_type="application/xml")

    return whatsapp


def whatsapp_status_endpoint(app: App) -> Endpoint:
    from bot.channels.whatsapp import MalformedStatus

    async def whatsapp_status(request: Request) -> Response:
        channel = app.channels.whatsapp
        assert channel is not None
        form = await signed_form(app, request)
        if isinstance(form, Response):
            return form
        try:
            await channel.status(form)
        except MalformedStatus:
            return refuse(app, "whatsapp", 400, "malformed")
        except DatabaseUnavailable:
            return refuse(app, "whatsapp", 503, "database_unavailable")
        return Response(status_code=204)

    return whatsapp_status
