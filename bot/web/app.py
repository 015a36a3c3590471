"""Builds the Starlette app. Each feature module contributes routes through `routes(app)`."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.app import App
from bot.jobs.worker import JobWorker

# Modules with a `routes(app: App) -> list[BaseRoute]` function, mounted in this order.
ROUTE_MODULES: tuple[str, ...] = ("bot.web.health", "bot.web.webhooks", "bot.web.metrics", "bot.web.admin")


def create_web_app(
    app: App, modules: tuple[str, ...] = ROUTE_MODULES, *, jobs: JobWorker | None = None
) -> Starlette:
    """`jobs`: a job worker started and stopped with the app (`puente serve`)."""
    routes: list[BaseRoute] = []
    for name in modules:
        routes += importlib.import_module(name).routes(app)

    @contextlib.asynccontextmanager
    async def lifespan(_web: Starlette) -> AsyncIterator[None]:
        if jobs is not None:
            await jobs.start()
        try:
            yield
        finally:
            if jobs is not None:
                await jobs.stop()
            await app.aclose()

    web = Starlette(routes=routes, lifespan=lifespan)
    web.state.puente = app
    return web
