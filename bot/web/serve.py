"""The ASGI app as uvicorn workers build it (`puente serve --workers N`): each worker process
reads the same settings and builds its own App (database pool, HTTP pools, metrics)."""

from __future__ import annotations

import logging

from starlette.applications import Starlette

from bot.app import build_app
from bot.settings import Settings
from bot.web.app import create_web_app


def app_factory() -> Starlette:
    settings = Settings.from_environ()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    # The parent process migrated the database before starting the workers.
    return create_web_app(build_app(settings, migrate=False))
