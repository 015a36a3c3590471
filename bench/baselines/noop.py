"""The do-nothing baseline: the same server stack as Puente (Starlette under uvicorn, same
settings), answering 200 to the webhooks without reading them.

    python -m uvicorn bench.baselines.noop:app --port 8001 --log-level warning --no-access-log
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


async def nothing(request: Request) -> Response:
    return Response(status_code=200)


app = Starlette(routes=[
    Route("/healthz", nothing, methods=["GET"]),
    Route("/webhooks/telegram", nothing, methods=["POST"]),
    Route("/webhooks/whatsapp", nothing, methods=["POST"]),
])
