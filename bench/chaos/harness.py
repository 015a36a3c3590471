"""What the scenarios share: a private throwaway PostgreSQL (its own data folder and port,
started and stopped here; never the machine's shared server), fresh databases on it or in
SQLite files, `puente serve` as a subprocess that can be killed and restarted on its port, and
the fake platform APIs (bench/fake_apis.py) with a slow Twilio and a log of replies."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bench import targets
from bench.common import Served, free_port
from bench.fake_apis import FakeApis

# Content SIDs that send every reply with 2 to 10 choices through Twilio's REST API (quick
# replies, list pickers): the "REST path" of a WhatsApp turn.
REST_PATH_ENV = {
    "TWILIO_QUICK_REPLY_SIDS": ",".join(f"{n}=HX{n:032d}" for n in (2, 3)),
    "TWILIO_LIST_PICKER_SIDS": ",".join(f"{n}=HX{n + 100:032d}" for n in range(4, 11)),
}


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1]
    located = shutil.which(name)
    if not located:
        raise RuntimeError(f"{name} not found under /usr/lib/postgresql/*/bin nor on PATH")
    return located


class PrivatePostgres:
    """A PostgreSQL cluster of our own: initdb into a temporary folder, pg_ctl on a free port.
    As root, its programs run as the `postgres` user (initdb refuses root)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="puente-chaos-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.log = self.root / "server.log"
        self.running = False

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        command = list(argv)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, timeout=120)

    def init(self) -> PrivatePostgres:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync", "--no-instructions")
        with (self.data / "postgresql.conf").open("a") as conf:
            # Commit times order one person's turns (machines.py); sockets in our folder only.
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.root}'\ntrack_commit_timestamp = on\n"
                       "max_connections = 200\nshared_buffers = 64MB\n")
        return self

    def start(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`mode`: fast (clients disconnected, clean shutdown) or immediate (like a crash)."""
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)
        self.running = False

    def cleanup(self) -> None:
        if self.running:
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def terminate_backends(self, database: str) -> int:
        """pg_terminate_backend on every connection to `database`: how many were killed."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=3) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()", (database,)
            ).fetchall()
        return sum(1 for (done,) in rows if done)


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    try:
        server.init().start()
        yield server
    finally:
        server.cleanup()


@contextlib.contextmanager
def fresh_database(backend: str, work: Path, pg: PrivatePostgres | None = None) -> Iterator[str]:
    """A migrated database with the sample vacancies: a SQLite file in `work`, or a new
    database on the private PostgreSQL (dropped afterwards)."""
    from bench.common import load_sample_vacancies
    from db.database import Database
    from db.migrate import upgrade

    if backend == "sqlite":
        url = f"sqlite:///{work / f'chaos-{uuid.uuid4().hex[:8]}.db'}"
    else:
        import psycopg

        assert pg is not None, "PostgreSQL runs need the private server"
        name = f"chaos_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(pg.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = pg.admin_url.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    load_sample_vacancies(url)
    try:
        yield url
    finally:
        if backend != "sqlite" and pg is not None and pg.running:
            import psycopg

            with contextlib.suppress(Exception), psycopg.connect(pg.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def puente(url: str, apis: FakeApis, *, port: int = 0, **env: str) -> Served:
    """`puente serve` (one process) on the fake platforms, with extra settings."""
    server = targets.puente(url, apis.url)
    return Served(server.name, server.argv, {**server.env, "LOG_LEVEL": "ERROR", **env}, port=port)


async def start(server: Served, work: Path) -> Served:
    return await asyncio.to_thread(server.start, work, 90.0)


@contextlib.asynccontextmanager
async def serving(backend: str, apis: FakeApis, work: Path, pg: PrivatePostgres | None = None,
                  **env: str) -> AsyncIterator[tuple[Served, str]]:
    """`puente serve` on a fresh database, stopped at the end: the server and its database URL."""
    with fresh_database(backend, work, pg) as url:
        server = await start(puente(url, apis, **env), work)
        try:
            yield server, url
        finally:
            await asyncio.to_thread(server.stop)


def kill9(server: Served) -> None:
    """SIGKILL to the server's process group: no shutdown, no flush, like a machine lost."""
    assert server.process is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)


@dataclass(frozen=True)
class Arrival:
    """A reply that reached a fake platform: when, for whom (Telegram's chat id, Twilio's To),
    its id there as the server records it (outbound_messages.external_id: Twilio's sid,
    "<chat id>:<message id>" on Telegram) and what it said (to tell a message sent twice)."""

    when: float
    key: str
    external_id: str
    content: str


class ChaosApis(FakeApis):
    """The fake platform APIs, plus: every reply that arrived (Arrival), and a Twilio that takes
    `twilio_delay` seconds to accept a message (not accepted when the sender is gone by then);
    `sending` is set while it holds the first reply to a person's update (`awaiting`: the people whose
    latest update has no reply at the API yet; the ledger's Platform fills it)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[Arrival] = []
        self.twilio_delay = 0.0
        self.sending = asyncio.Event()
        self.awaiting: set[str] = set()

    def _arrived(self, key: str, params: dict[str, Any]) -> None:
        if "Sid" in params:
            external_id = params["Sid"]
            said = [params.get(k) for k in ("Body", "ContentSid", "ContentVariables")]
        else:
            external_id = f"{key}:{params.get('message_id')}"
            said = [params.get(k) for k in ("text", "reply_markup")]
        self.arrivals.append(Arrival(time.perf_counter(), key, external_id, json.dumps(said, default=str)))
        self.awaiting.discard(key)
        super()._arrived(key, params)

    async def bot_api(self, request: web.Request) -> web.Response:
        try:
            return await super().bot_api(request)
        except ValueError:  # e.g. chat_id=true, taken from a fuzzed update: Telegram says 400
            return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                                     status=400)

    async def twilio(self, request: web.Request) -> web.Response:
        try:
            raw = await request.read()
        except ConnectionResetError:  # the server was killed while Twilio took its time
            return web.Response(status=499)
        params = dict(parse_qsl(raw.decode()))
        if self.twilio_delay:
            first = params.get("To", "") in self.awaiting
            if first:
                self.sending.set()
            await asyncio.sleep(self.twilio_delay)
            if first:
                self.sending.clear()
            transport = request.transport
            if transport is None or transport.is_closing():
                # The sender died before Twilio accepted the message: it is not sent (a slow
                # Twilio here is one slow to take the message in, as over a slow link).
                return web.Response(status=499)
        return self.twilio_accept(params)

    def reset(self) -> None:
        self.arrivals.clear()
        self.twilio_messages.clear()
        self.calls.clear()
        self.waiters.clear()
        self.awaiting.clear()
        self.twilio_delay = 0.0
        self.sending.clear()
        self.on_reply = None


@contextlib.asynccontextmanager
async def chaos_apis() -> Any:
    apis = ChaosApis()
    await apis.start()
    try:
        yield apis
    finally:
        await apis.stop()
