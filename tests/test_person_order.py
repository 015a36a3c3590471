"""One person's turns waiting for their PostgreSQL advisory lock (Database.writing): they never
take the connections the event loop's own short transactions need, and a turn given up while
waiting gives the connection and the lock back at once."""

from __future__ import annotations

import asyncio
import threading
import time

import psycopg
import pytest

from db.database import Database

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

KEY = "telegram:7300"


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _asking(conn: psycopg.Connection, key: str) -> int:
    """Transactions waiting for the person's advisory lock (keyed as a turn keys it)."""
    [(count,)] = conn.execute(
        "SELECT count(*) FROM pg_locks l, (SELECT hashtextextended(%s, 0) AS k) key"
        " WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1"
        " AND l.classid::bigint = (key.k >> 32) & 4294967295 AND l.objid::bigint = key.k & 4294967295",
        (key,),
    ).fetchall()
    return int(count)


async def _until_asking(conn: psycopg.Connection, key: str, count: int, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while _asking(conn, key) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def _turn(db: Database) -> None:
    """A turn of the person KEY: its transaction, begun once the person's lock is granted."""
    async with db.writing(KEY) as conn:
        conn.exec_driver_sql("SELECT 1")


def test_turns_waiting_for_a_persons_lock_leave_connections_for_the_event_loop(
    database_url: str, loop: asyncio.AbstractEventLoop,
) -> None:
    """Twice as many turns of one person as the pool has connections wait for the person's
    lock; a short transaction of the event loop's (a delivery report, an opt-out) still gets
    a connection at once, instead of stopping the loop for the pool's 30 s timeout while the
    turns that hold the locks wait for the loop."""
    db = Database(database_url, pool_size=2)  # 4 connections
    url = _plain(database_url)
    done: list[float] = []

    def short_transaction() -> None:
        started = time.monotonic()
        with db.transaction() as conn:
            conn.exec_driver_sql("SELECT 1")
        done.append(time.monotonic() - started)

    async def scenario() -> None:
        with psycopg.connect(url) as earlier, psycopg.connect(url, autocommit=True) as watch:
            earlier.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (KEY,))
            turns = [asyncio.create_task(_turn(db)) for _ in range(8)]
            await _until_asking(watch, KEY, 2)
            await asyncio.sleep(0.2)  # every turn that can ask has asked
            side = threading.Thread(target=short_transaction, daemon=True)
            side.start()
            await asyncio.to_thread(side.join, 5.0)
            earlier.commit()
            await asyncio.gather(*turns)

    try:
        loop.run_until_complete(scenario())
    finally:
        db.dispose()
    assert len(done) == 1 and done[0] < 2.0


def test_a_turn_cancelled_while_waiting_for_the_lock_gives_it_back(
    database_url: str, loop: asyncio.AbstractEventLoop,
) -> None:
    """A turn given up while its person's lock was still held elsewhere (the server stopping):
    its thread gets the lock later; it must give it back at once, or the person's next turn
    would wait for the lost transaction."""
    db = Database(database_url, pool_size=2)
    url = _plain(database_url)

    async def scenario() -> float:
        with psycopg.connect(url) as earlier, psycopg.connect(url, autocommit=True) as watch:
            earlier.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (KEY,))
            given_up = asyncio.create_task(_turn(db))
            await _until_asking(watch, KEY, 1)
            given_up.cancel()
            earlier.commit()
        started = time.monotonic()
        await asyncio.wait_for(_turn(db), 5.0)
        return time.monotonic() - started

    try:
        waited = loop.run_until_complete(scenario())
    finally:
        db.dispose()
    assert waited < 1.0
