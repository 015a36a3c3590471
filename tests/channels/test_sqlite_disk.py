"""SQLite on disk: a deleted person leaves no trace in any database file (secure_delete set by
the app, the WAL emptied after the deletion), and another process holding the write lock
never freezes the web server (a turn waits for the lock on a thread; a staff member's change
made meanwhile is a quick "busy" page; /healthz answers)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from bot.app import App
from bot.web.admin.auth import Accounts
from db import database
from db.registrations import registrations
from tests.channels.drivers import TelegramUser
from tests.channels.test_two_servers import ANSWERS, RIGHT


def database_files(app: App) -> list[Path]:
    path = Path(app.db.url.removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]


def test_a_deleted_person_is_in_no_database_file(channel_app: App, telegram_user: TelegramUser) -> None:
    if not channel_app.db.is_sqlite:
        pytest.skip("files on disk: SQLite")
    for text in ANSWERS:
        telegram_user.say(text)
    with channel_app.db.transaction() as conn:
        assert conn.execute(select(registrations.c.full_name, registrations.c.phone)).one() == RIGHT
    traces = [b"Pineda", b"BEML920313HMCLNS09", b"5598765432"]
    before = b"".join(p.read_bytes() for p in database_files(channel_app))
    assert all(trace in before for trace in traces)  # the scan finds what is there
    telegram_user.say("borrar mis datos")
    telegram_user.say("sí")
    files = database_files(channel_app)
    for path in files:
        found = [t.decode() for t in traces if t in path.read_bytes()]
        assert found == [], f"{path.name} still holds {found}"


HOLD = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""


def test_another_process_holding_the_write_lock_does_not_freeze_the_server(
    channel_app: App, telegram_user: TelegramUser, web: str,
) -> None:
    if not channel_app.db.is_sqlite:
        pytest.skip("SQLite's write lock")
    telegram_user.say("hola")
    path = channel_app.db.url.removeprefix("sqlite:///")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, path, "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with httpx.Client(base_url=web, timeout=30) as http:
            import threading

            answers: list[httpx.Response] = []
            turn = threading.Thread(target=lambda: answers.append(
                telegram_user.post(telegram_user.update("text.json", text="español"))))
            turn.start()
            slowest = 0.0
            while turn.is_alive() and time.monotonic() - started < 10:
                asked = time.monotonic()
                assert http.get("/healthz").status_code == 200
                slowest = max(slowest, time.monotonic() - asked)
                time.sleep(0.05)
            turn.join()
        assert slowest < 0.5, f"/healthz took {slowest:.2f} s while the turn waited"
        assert time.monotonic() - started > 2.5  # the turn did wait for the lock
        assert answers[0].status_code == 200 and "sendMessage" in answers[0].text
    finally:
        holder.wait(timeout=10)


def test_a_write_lock_held_past_busy_timeout_is_a_503_and_the_redelivery_is_answered(
    channel_app: App, telegram_user: TelegramUser, web: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not channel_app.db.is_sqlite:
        pytest.skip("SQLite's write lock")
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    channel_app.db.engine.dispose()  # connections made from now on wait 0.3 s, not 5
    telegram_user.say("hola")
    path = channel_app.db.url.removeprefix("sqlite:///")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, path, "2"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        update = telegram_user.update("text.json", text="español")
        assert telegram_user.post(update).status_code == 503  # the platform tries again later
    finally:
        holder.wait(timeout=10)
    again = telegram_user.post(update)
    assert again.status_code == 200 and "sendMessage" in again.text


def test_a_staff_member_saving_while_another_process_writes_gets_a_busy_page_and_nothing_freezes(
    channel_app: App, web: str,
) -> None:
    """A login writes the session: with SQLite's write lock held by another process (an import,
    a `puente` command), the admin's page waited for it on the event loop, freezing every
    webhook and /healthz for busy_timeout (5 s) before a 503."""
    if not channel_app.db.is_sqlite:
        pytest.skip("SQLite's write lock")
    channel_app.admin.secure_cookies = False  # type: ignore[attr-defined] - served on plain loopback http
    accounts = channel_app.admin.accounts = Accounts(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))  # type: ignore[attr-defined]
    with channel_app.db.transaction() as conn:
        accounts.add(conn, "ana.lopez", "admin", "a long staff passphrase", "test", dt.datetime.now(dt.UTC))
    path = channel_app.db.url.removeprefix("sqlite:///")
    with httpx.Client(base_url=web, timeout=30, headers={"Accept-Language": "es-MX"}) as staff:

        def log_in() -> httpx.Response:
            csrf = re.search(r'name="csrf" value="([^"]+)"', staff.get("/admin/login").text).group(1)  # type: ignore[union-attr]
            return staff.post("/admin/login", data={"csrf": csrf, "login": "ana.lopez",
                                                    "password": "a long staff passphrase"})

        holder = subprocess.Popen([sys.executable, "-c", HOLD, path, "3"], stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            answers: list[tuple[httpx.Response, float]] = []

            def timed() -> None:
                started = time.monotonic()
                answers.append((log_in(), time.monotonic() - started))

            attempt = threading.Thread(target=timed)
            slowest = 0.0
            with httpx.Client(base_url=web, timeout=30) as probe:
                attempt.start()
                while attempt.is_alive() or slowest == 0.0:
                    asked = time.monotonic()
                    assert probe.get("/healthz").status_code == 200
                    slowest = max(slowest, time.monotonic() - asked)
                    time.sleep(0.02)
            attempt.join()
            refused, took = answers[0]
            still_held = holder.poll() is None
        finally:
            holder.wait(timeout=10)
        assert slowest < 0.5, f"/healthz took {slowest:.2f} s while the staff member waited"
        assert still_held and refused.status_code == 503 and took < 2.5  # answered before the lock was let go
        assert "La base de datos está ocupada" in refused.text and refused.headers["Retry-After"] == "5"
        assert log_in().status_code == 303  # once the lock is free, the same login goes through
