"""`puente worker`: the job queue's worker alone (the outbox's next tries, vacancy alerts,
pruning), for PostgreSQL deployments that keep it apart from the web processes."""

from __future__ import annotations

import argparse
import asyncio

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "worker", help="run the job worker: retries of unsent messages, vacancy alerts, pruning"
    )
    parser.add_argument("--once", action="store_true",
                        help="send what is due now, then stop (otherwise run until Ctrl+C / SIGTERM)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    import logging

    from bot.app import build_app
    from bot.jobs.queue import build_queue
    from bot.jobs.worker import quiet_procrastinate, run as run_worker, run_due

    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    quiet_procrastinate(settings.log_level)
    app = build_app(settings)
    if app.db.is_sqlite and not args.once:
        print("note: on SQLite `puente serve` runs the jobs itself; a second process shares the "
              "file with it (PostgreSQL is the database for separate workers)")
    queue = build_queue(app)

    async def main() -> None:
        try:
            if args.once:
                await run_due(queue)
            else:
                await run_worker(queue, wait=True, signals=True, name="puente-worker")
        finally:
            await app.aclose()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
    return 0
