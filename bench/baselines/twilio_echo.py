"""The WhatsApp baseline: a Twilio echo bot on the same server stack. It checks
X-Twilio-Signature with twilio's RequestValidator and answers the message back as TwiML
(MessagingResponse), which is what a minimal Twilio bot does.

    BENCH_TWILIO_AUTH_TOKEN=... BENCH_PUBLIC_URL=https://... \
    python -m uvicorn bench.baselines.twilio_echo:app --port 8002 --log-level warning --no-access-log
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

validator = RequestValidator(os.environ.get("BENCH_TWILIO_AUTH_TOKEN", ""))
PUBLIC_URL = os.environ.get("BENCH_PUBLIC_URL", "").rstrip("/")


async def healthz(request: Request) -> Response:
    return Response(status_code=200)


async def whatsapp(request: Request) -> Response:
    form = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    if not validator.validate(PUBLIC_URL + request.url.path, form, request.headers.get("x-twilio-signature", "")):
        return Response("forbidden", status_code=403)
    reply = MessagingResponse()
    reply.message(form.get("Body") or "?")
    return Response(str(reply), media_type="application/xml")


app = Starlette(routes=[
    Route("/healthz", healthz, methods=["GET"]),
    Route("/webhooks/whatsapp", whatsapp, methods=["POST"]),
])
