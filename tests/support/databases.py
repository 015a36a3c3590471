"""Real databases for tests: a migrated SQLite template copied per test, and a PostgreSQL
database created for the session (emptied between tests) and dropped at the end."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
from sqlalchemy import text

from db.database import Database
from db.migrate import upgrade

PG_ADMIN_URL = os.environ.get("PUENTE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


class PostgresServer:
    """Creates throwaway databases on the local server."""

    def __init__(self, admin_url: str = PG_ADMIN_URL) -> None:
        self.admin_url = admin_url

    def create(self) -> str:
        name = f"puente_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


def fresh_sqlite(template: Path, directory: Path) -> str:
    target = directory / "puente.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def empty_tables(url: str) -> None:
    """Remove every row (not the schema) so the next test starts clean."""
    db = Database(url)
    with db.engine.begin() as conn:
        names = [
            r[0]
            for r in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            )
        ]
        if names:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
    db.dispose()


def migrated_postgres(server: PostgresServer) -> Iterator[str]:
    url = server.create()
    db = Database(url)
    try:
        upgrade(db)
    finally:
        db.dispose()
    try:
        yield url
    finally:
        server.drop(url)
