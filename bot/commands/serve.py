"""`puente serve`: the web app for production (webhooks, /healthz, /metrics) under uvicorn."""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.settings import Settings, export_for_workers

# Seconds an idle keep-alive connection stays open (uvicorn's default is 5). Behind a balancer
# (cloud balancers often keep idle connections 60 s) the server must be the last to close an
# idle connection: one closed under the balancer as it sends a request on it is
# a 502 for that request, and HAProxy opening fresh connections after every quiet spell lets a
# person's later message overtake an earlier one (docs/reliability.md, "A person's order across
# machines").
KEEP_ALIVE_SECONDS = 75


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "serve", help="run the web app: Telegram and WhatsApp webhooks, /healthz, /metrics"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL for more than one)")
    parser.add_argument("--no-jobs", action="store_true",
                        help="do not run the job worker in these processes (run `puente worker` instead)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses

    import uvicorn

    from bot.app import build_app
    from bot.channels.configured import describe
    from bot.web.app import create_web_app

    if args.workers < 1:
        print("--workers must be at least 1")
        return 2
    if args.no_jobs:
        settings = dataclasses.replace(settings, web_jobs=0)
        export_for_workers("WEB_JOBS", "0")
    # Migrates the database (in a child process: alembic, mako and pygments, about 8 MB, never
    # enter a serving process) and checks the content once, before any worker starts.
    if not migrate_apart(settings.database_url):
        print("error: the database could not be migrated (why: above)", file=sys.stderr)
        return 1
    app = build_app(settings, migrate=False)
    for line in describe(settings):
        print(line)
    print(f"Puente on http://{args.host}:{args.port} (health: /healthz, metrics: /metrics)", flush=True)
    level = settings.log_level.lower()
    if args.workers == 1:
        from bot.web.serve import job_worker, settle_memory

        web = create_web_app(app, jobs=job_worker(app))
        settle_memory()
        uvicorn.run(web, host=args.host, port=args.port, log_level=level, access_log=False,
                    timeout_keep_alive=KEEP_ALIVE_SECONDS)
        app.close()
        return 0
    app.close()
    if app.db.is_sqlite:
        print("note: several workers share one SQLite file; PostgreSQL is the database for this")
    export_for_workers("PROMETHEUS_MULTIPROC_DIR", _metrics_directory(settings))
    uvicorn.run(
        "bot.web.serve:app_factory", factory=True, host=args.host, port=args.port,
        workers=args.workers, log_level=level, access_log=False, timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    return 0


def migrate_apart(database_url: str) -> bool:
    """The migrations applied in a child process; whether they were. Where the system forks,
    the child is a fork of this process, which has imported most of what the migrations need
    (SQLAlchemy, the drivers, the tables): 0.25 s of CPU instead of a fresh interpreter's 0.7;
    elsewhere it is `puente db upgrade` with the same environment (and so settings). A database
    already at the newest revision needs neither (db/revision.py)."""
    from db.revision import at_head

    if at_head(database_url):
        return True
    if "fork" not in multiprocessing.get_all_start_methods():
        return subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], stdout=subprocess.DEVNULL).returncode == 0
    child = multiprocessing.get_context("fork").Process(target=_upgrade, args=(database_url,), name="puente db upgrade")
    child.start()
    child.join()
    return child.exitcode == 0


def _upgrade(database_url: str) -> None:
    from db.database import Database, ensure_sqlite_dir
    from db.failures import FAILURES, database_failure
    from db.migrate import upgrade

    ensure_sqlite_dir(database_url)
    db = Database(database_url)
    try:
        upgrade(db)
    except FAILURES as error:
        print(database_failure(error), file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        db.dispose()


def _metrics_directory(settings: Settings) -> str:
    """Each worker writes its numbers there; /metrics adds them up. Emptied at every start:
    numbers from a previous run would be counted twice."""
    if not settings.prometheus_multiproc_dir:
        return tempfile.mkdtemp(prefix="puente-metrics-")
    directory = Path(settings.prometheus_multiproc_dir)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return str(directory)
