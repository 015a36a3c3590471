"""GET /healthz: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.app import App


def routes(app: App) -> list[BaseRoute]:
    async def healthz(request: Request) -> JSONResponse:
        ok = app.db.ping()
        return JSONResponse(
            {"status": "ok" if ok else "database unavailable", "content": app.live.content.revision},
            status_code=200 if ok else 503,
        )

    return [Route("/healthz", healthz, methods=["GET"])]
