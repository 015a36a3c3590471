"""The ASGI app as uvicorn workers build it (`puente serve --workers N`): each worker process
reads the same settings and builds its own App (database pool, HTTP pools, metrics)."""

from __future__ import annotations

import gc
import logging

from starlette.applications import Starlette

from bot.app import build_app
from bot.settings import Settings
from bot.web.app import create_web_app


def settle_memory() -> None:
    """After start-up: everything built so far (compiled content, vocabularies, modules) lives
    as long as the worker, so the garbage collector stops walking it (gc.freeze). Full
    collections over those objects were the slowest turns at 500 updates/s (docs/benchmarks.md)."""
    gc.collect()
    gc.freeze()


def app_factory() -> Starlette:
    settings = Settings.from_environ()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    # The parent process migrated the database before starting the workers.
    web = create_web_app(build_app(settings, migrate=False))
    settle_memory()
    return web
