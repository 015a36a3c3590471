"""PostgreSQL restarted (or a connection cut) while the pool sat idle: the next turn still
works, because an idle connection is checked before use; busy ones are not pinged."""

from __future__ import annotations

import datetime as dt
import socket
import time

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from db import contacts as contact_store
from db import database as database_module
from db.database import Database, DatabaseUnavailable
from db.revision import at_head
from tests.support.databases import PG_ADMIN_URL

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def pg(_postgres_url: str):  # type: ignore[no-untyped-def]
    database = Database(_postgres_url)
    yield database
    database.dispose()


def _cut_every_connection(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )


def count_pings(db: Database) -> list[str]:
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    return seen


def test_an_idle_connection_cut_by_the_server_is_replaced(
    pg: Database, _postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pg.transaction() as conn:
        assert contact_store.claim_message(conn, "telegram", "reconnect-1", NOW)
    _cut_every_connection(_postgres_url)
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE", 0.0)
    with pg.transaction() as conn:  # would raise DatabaseUnavailable on the dead connection
        assert contact_store.claim_message(conn, "telegram", "reconnect-2", NOW)


def test_busy_connections_are_not_pinged(pg: Database) -> None:
    with pg.transaction() as conn:
        contact_store.claim_message(conn, "telegram", "busy-0", NOW)
    statements = count_pings(pg)
    for i in range(1, 6):
        with pg.transaction() as conn:
            contact_store.claim_message(conn, "telegram", f"busy-{i}", NOW)
    assert len(statements) == 5  # the five claims, no SELECT 1 between them


def test_a_database_that_never_answers_fails_a_connection_soon(monkeypatch: pytest.MonkeyPatch) -> None:
    """A database host cut off the network (a listener that never speaks, here): a new connection
    waited for ever, so a webhook hung instead of answering 503 and `puente serve` never said why."""
    monkeypatch.setattr(database_module, "CONNECT_TIMEOUT_S", 1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"postgresql://postgres@127.0.0.1:{silent.getsockname()[1]}/nowhere"
        db = Database(url)
        started = time.monotonic()
        with pytest.raises((DatabaseUnavailable, OperationalError)):
            with db.transaction() as conn:
                conn.exec_driver_sql("SELECT 1")
        db.dispose()
        assert time.monotonic() - started < 4
        assert not at_head(url)  # the revision `puente serve` reads first
        assert time.monotonic() - started < 8
