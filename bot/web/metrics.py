"""GET /metrics: Prometheus text format (turns, errors, latency, outbound messages per channel).
With METRICS_TOKEN set, only a scraper that sends `Authorization: Bearer <token>` gets them."""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import App


def routes(app: App) -> list[BaseRoute]:
    expected = f"Bearer {app.settings.metrics_token}".encode() if app.settings.metrics_token else None

    async def metrics(request: Request) -> Response:
        if expected is not None:
            sent = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(sent, expected):
                return PlainTextResponse("a bearer token is required\n", status_code=401,
                                         headers={"WWW-Authenticate": "Bearer"})
        body, content_type = app.metrics.exposition()
        return Response(body, media_type=content_type)

    return [Route("/metrics", metrics, methods=["GET"])]
