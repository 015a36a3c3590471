"""The ASGI app as uvicorn workers build it (`puente serve --workers N`): each worker process
reads the same settings and builds its own App (database pool, HTTP pools, metrics)."""

from __future__ import annotations

import gc
import logging

from starlette.applications import Starlette

from bot.app import App, build_app
from bot.jobs.queue import build_queue
from bot.jobs.worker import JobWorker, quiet_procrastinate
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
    app = build_app(settings, migrate=False)
    web = create_web_app(app, jobs=job_worker(app))
    settle_memory()
    return web


def job_worker(app: App) -> JobWorker | None:
    """The job queue's worker inside this web process, unless WEB_JOBS=0 (`puente worker`
    processes do the work then)."""
    if not app.settings.web_jobs:
        return None
    quiet_procrastinate(app.settings.log_level)
    return JobWorker(build_queue(app))
