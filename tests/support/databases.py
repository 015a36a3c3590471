"""Real databases for tests: a migrated SQLite template copied per test, and one PostgreSQL
database per test process (each pytest-xdist worker has its own), emptied between tests and
dropped at the end."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

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
            # A test database need not survive a crash of the server: commits return without
            # waiting for the disk (1.8 ms -> 0.2 ms each here). What a session sees is unchanged.
            conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
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


class Emptier:
    """Removes every row (not the schema) of one PostgreSQL database and restarts its sequences,
    so the next test starts as on a freshly migrated database.

    Only the tables that hold rows are touched, with DELETE (children first): TRUNCATE makes new
    files and waits for the disk, ~0.2 s per test here even for empty tables; this is ~2 ms."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: psycopg.Connection | None = None
        with self._connection() as conn:
            self.tables = _children_first(conn)
        self._probe = " UNION ALL ".join(
            f"SELECT {i} WHERE EXISTS (SELECT 1 FROM \"{name}\")" for i, name in enumerate(self.tables)
        )

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = psycopg.connect(self.url, autocommit=True)
        return self._conn

    def empty(self) -> None:
        try:
            self._empty(self._connection())
        except psycopg.OperationalError:
            # A test cut every connection to the database (tests/test_db_reconnect.py).
            self._conn = None
            self._empty(self._connection())

    def _empty(self, conn: psycopg.Connection) -> None:
        full = {row[0] for row in conn.execute(self._probe)} if self.tables else set()
        with conn.transaction():
            for i, name in enumerate(self.tables):
                if i in full:
                    conn.execute(f'DELETE FROM "{name}"')
            conn.execute(
                "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)"
                " FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
            )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _children_first(conn: psycopg.Connection) -> list[str]:
    """The public tables (not alembic_version), each after every table that references it."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            " ORDER BY tablename"
        )
    ]
    parents: dict[str, set[str]] = {name: set() for name in names}
    for child, parent in conn.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
        " WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    ):
        if child != parent and child in parents and parent in parents:
            parents[child].add(parent)
    # Repeatedly take the tables no remaining table references.
    ordered: list[str] = []
    remaining = set(names)
    while remaining:
        referenced = {p for child in remaining for p in parents[child]}
        free = sorted(remaining - referenced)
        if not free:
            raise RuntimeError(f"foreign keys form a cycle between {sorted(remaining)}")
        ordered += free
        remaining -= set(free)
    return ordered


def migrated_postgres(server: PostgresServer) -> Iterator[str]:
    """A new, migrated database for this test process; dropped when the session ends (also when
    tests failed or the run was interrupted)."""
    url = server.create()
    try:
        db = Database(url)
        try:
            upgrade(db)
        finally:
            db.dispose()
        yield url
    finally:
        server.drop(url)
