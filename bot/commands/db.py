"""`puente db upgrade`: apply the Alembic migrations to DATABASE_URL."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("db", help="database migrations")
    inner = parser.add_subparsers(dest="db_command", required=True)
    inner.add_parser("upgrade", help="create or migrate the database to the latest schema").set_defaults(
        run=run_upgrade
    )


def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from db.database import Database, ensure_sqlite_dir
    from db.migrate import upgrade

    ensure_sqlite_dir(settings.database_url)
    db = Database(settings.database_url)
    upgrade(db)
    db.dispose()
    print("database is up to date")
    return 0
