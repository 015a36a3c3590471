"""GET /metrics: Prometheus text format (turns, errors, latency, outbound messages per channel)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.app import App


def routes(app: App) -> list[BaseRoute]:
    async def metrics(request: Request) -> Response:
        body, content_type = app.metrics.exposition()
        return Response(body, media_type=content_type)

    return [Route("/metrics", metrics, methods=["GET"])]
