"""Two servers (two `puente serve` processes on two ports, as two machines behind one address)
against one PostgreSQL database: one person's messages, sent in a burst alternately to both,
run in the order they were sent (a PostgreSQL advisory lock per person), and five people
registering at once through such bursts all come out right."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from db.database import Database
from db.migrate import upgrade
from tests.channels.drivers import WEBHOOK_SECRET, load_update
from tests.channels.fakes import BOT_TOKEN, FakePlatforms
from tests.channels.test_commands import Served
from tests.support.databases import PostgresServer

# A whole registration with a few mistakes on the way, ending with "send it to the SNE".
ANSWERS = [
    "hola", "español", "quiero registrarme", "sí", "Rosa María Pineda", "27/04/1990", "hondureña", "1",
    "hegg 560427 mvzrrl05", "BEML920313HMCLNS09", "1", "55-1234-567a", "+52 1 55 9876 5432", "Monterey",
    "3", "albañil y costurera", "4", "español y kreyòl", "sí", "1",
]


@pytest.fixture
def servers(platforms: FakePlatforms, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    postgres = PostgresServer()
    url = postgres.create()
    database = Database(url)
    upgrade(database)
    database.dispose()
    env = {
        "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TELEGRAM_API_URL": platforms.url,  # type: ignore[attr-defined]
    }
    platforms.reset()
    try:
        with Served(["--no-jobs"], tmp_path, env) as one, Served(["--no-jobs"], tmp_path, env) as two:
            yield url, [one.url, two.url]
    finally:
        postgres.drop(url)


def update_for(chat: int, update_id: int, text: str) -> str:
    update = load_update("text.json")
    update["update_id"] = update_id
    update["message"]["from"]["id"] = update["message"]["chat"]["id"] = chat
    update["message"]["text"] = text
    return json.dumps(update)


def post(server: str, body: str, failures: list[str]) -> None:
    # Plain HTTP on loopback: verify=False spares loading the CA bundle (~30 ms of CPU a post).
    answer = httpx.post(f"{server}/webhooks/telegram", content=body, timeout=120, verify=False,
                        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
    if answer.status_code != 200:
        failures.append(f"{answer.status_code} {answer.text[:80]}")


def arrived(conn: psycopg.Connection, first_update: int) -> int:
    """Messages of the burst the database has seen: turns in a transaction (running or
    waiting for a lock), and turns done (their ids claimed)."""
    [(busy,)] = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
    ).fetchall()
    [(done,)] = conn.execute(
        "SELECT count(*) FROM processed_messages WHERE external_id = ANY(%s)",
        ([str(first_update + n) for n in range(len(ANSWERS))],),
    ).fetchall()
    return int(busy) + int(done)


def registered(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return [(r[0], r[1]) for r in conn.execute("SELECT full_name, phone FROM registrations ORDER BY id")]


RIGHT = ("Rosa María Pineda", "+525598765432")


@pytest.mark.timeout(300)
def test_one_persons_burst_alternating_between_two_servers_runs_in_order(
    servers: tuple[str, list[str]],
) -> None:
    """Each message is sent once the one before is in the database's hands (in a transaction,
    running or waiting, or done), without waiting for its answer: the order they arrive in is
    known, and the turns must run in it."""
    url, web = servers
    plain = url.replace("postgresql+psycopg", "postgresql")
    failures: list[str] = []
    threads = []
    with psycopg.connect(plain, autocommit=True) as conn:
        for n, text in enumerate(ANSWERS):
            thread = threading.Thread(target=post, args=(web[n % 2], update_for(7100, 600_000 + n, text), failures))
            thread.start()
            threads.append(thread)
            deadline, steady = time.monotonic() + 60, 0
            # Three readings in a row: a committing turn is briefly both done and in a transaction.
            while steady < 3 and time.monotonic() < deadline:
                steady = steady + 1 if arrived(conn, 600_000) >= n + 1 else 0
                time.sleep(0.01)
    for thread in threads:
        thread.join()
    assert failures == []
    assert registered(plain) == [RIGHT]


def waiting_or_done(conn: psycopg.Connection, chat: int, first_update: int) -> int:
    """One person's messages PostgreSQL has seen: waiting for or holding the person's advisory
    lock (keyed as the turn keys it), or done."""
    [(locks,)] = conn.execute(
        "SELECT count(*) FROM pg_locks l, (SELECT hashtextextended(%s, 0) AS k) key"
        " WHERE l.locktype = 'advisory' AND l.objsubid = 1"
        " AND l.classid::bigint = (key.k >> 32) & 4294967295 AND l.objid::bigint = key.k & 4294967295",
        (f"telegram:{chat}",),
    ).fetchall()
    [(done,)] = conn.execute(
        "SELECT count(*) FROM processed_messages WHERE external_id = ANY(%s)",
        ([str(first_update + n) for n in range(len(ANSWERS))],),
    ).fetchall()
    return int(locks) + int(done)


@pytest.mark.timeout(300)
def test_five_people_registering_at_once_through_two_servers_all_come_out_right(
    servers: tuple[str, list[str]],
) -> None:
    """Five people at once, each message sent alternately to the two servers once the one
    before is queued for the person's lock (or done), without waiting for its answer."""
    url, web = servers
    plain = url.replace("postgresql+psycopg", "postgresql")
    failures: list[str] = []

    def burst(chat: int, first_update: int) -> None:
        threads = []
        with psycopg.connect(plain, autocommit=True) as conn:
            for n, text in enumerate(ANSWERS):
                body = update_for(chat, first_update + n, text)
                thread = threading.Thread(target=post, args=(web[n % 2], body, failures))
                thread.start()
                threads.append(thread)
                deadline, steady = time.monotonic() + 60, 0
                while steady < 3 and time.monotonic() < deadline:
                    steady = steady + 1 if waiting_or_done(conn, chat, first_update) >= n + 1 else 0
                    time.sleep(0.01)
        for thread in threads:
            thread.join()

    people = [threading.Thread(target=burst, args=(7200 + n, 700_000 + 1000 * n)) for n in range(5)]
    for thread in people:
        thread.start()
    for thread in people:
        thread.join()
    assert failures == []
    with psycopg.connect(plain) as conn:
        claimed = [int(row[0]) for row in conn.execute("SELECT external_id FROM processed_messages ORDER BY id")]
    for n in range(5):
        mine = [u for u in claimed if 700_000 + 1000 * n <= u < 700_000 + 1000 * (n + 1)]
        assert mine == sorted(mine) and len(mine) == len(ANSWERS)
    assert registered(plain) == [RIGHT] * 5
