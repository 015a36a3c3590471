"""POST /webhooks/telegram, /webhooks/whatsapp and /webhooks/whatsapp/status, one shape for all:
authenticate -> parse -> conversation -> render -> respond.

A webhook answers 2xx only after the turn and its replies are stored (a redelivery gets the
stored replies again); 403 for a forged secret or signature,
400 for a body that is not what the platform sends (never a stack trace), 503 while the
database is away so the platform tries again later."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import App
from bot.channels.port import ChannelPort, Forbidden, Malformed, Received, WebhookCall
from db.database import DatabaseUnavailable

log = logging.getLogger("puente.web")

Endpoint = Callable[[Request], Awaitable[Response]]
Parse = Callable[[Any], Received]

# Platforms post a few kilobytes; anything far larger is not from them.
MAX_BODY = 256 * 1024


def routes(app: App) -> list[BaseRoute]:
    found: list[BaseRoute] = []
    telegram, whatsapp = app.channels.telegram, app.channels.whatsapp
    if telegram is not None and app.settings.telegram_webhook_enabled:
        found.append(Route("/webhooks/telegram", endpoint(app, telegram, telegram.parse), methods=["POST"]))
    if whatsapp is not None and app.settings.whatsapp_webhook_enabled:
        found.append(Route("/webhooks/whatsapp", endpoint(app, whatsapp, whatsapp.parse), methods=["POST"]))
        found.append(Route(
            "/webhooks/whatsapp/status", endpoint(app, whatsapp, whatsapp.parse_status), methods=["POST"]
        ))
    return found


def endpoint(app: App, channel: ChannelPort[Any, Any], parse: Parse) -> Endpoint:
    async def webhook(request: Request) -> Response:
        call = WebhookCall(request.headers, await _body(request), functools.partial(_signed_path, request))
        try:
            raw = channel.authenticate(call)
            received = parse(raw)
        except Forbidden:
            return refuse(app, channel.name, 403, "forbidden")
        except Malformed:
            return refuse(app, channel.name, 400, "malformed")
        except (RecursionError, OverflowError, ValueError, TypeError, AttributeError, KeyError) as error:
            # What the platform never sends (JSON nested a thousand deep, a date past the year
            # 9999, a field of the wrong type) reached a reader: a bad request, not our error.
            log.warning("unreadable %s update: %s", channel.name, type(error).__name__)
            return refuse(app, channel.name, 400, "malformed")
        if _has_nul(received):
            # PostgreSQL refuses NUL in text: no platform sends it in an id or an address.
            return refuse(app, channel.name, 400, "malformed")
        try:
            # The turn keeps its replies with it; a redelivery gets them again.
            answer = await app.inbox.receive(received, app.inbox.planner(channel, received))
            messages = await app.inbox.answer(channel, app.outbox, received, answer)
        except DatabaseUnavailable:
            return refuse(app, channel.name, 503, "database_unavailable")
        reply = await channel.respond(received, messages)
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type)

    return webhook


def _has_nul(received: Received) -> bool:
    inbound, change, report = received.inbound, received.opt_out, received.report
    fields: list[object] = [received.address, received.tap]
    if inbound is not None:
        fields += [inbound.user_key, inbound.external_id, inbound.choice_id, inbound.referral, inbound.phone,
                   inbound.language_hint]
    if change is not None:
        fields += [change.user_key, change.external_id]
    if report is not None:
        fields += [report.external_id, report.status, report.recipient, report.error]
    return any(isinstance(field, str) and "\x00" in field for field in fields)


def refuse(app: App, channel: str, status: int, kind: str) -> Response:
    app.metrics.error(channel, kind)
    return PlainTextResponse(kind.replace("_", " "), status_code=status)


async def _body(request: Request) -> bytes | None:
    """The request body, or None past MAX_BODY (read in chunks: a false length is no way round)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _signed_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
