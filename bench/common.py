"""What every end-to-end scenario shares: percentiles, the machine's description, fresh
databases, processes started on a free port and stopped after, their resident memory."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN = os.environ.get("PUENTE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

# What the targets and the fake platforms agree on (nothing here is a real credential).
BOT_TOKEN = "7000000001:AAH-bench-token_0123456789abcdefghij"
WEBHOOK_SECRET = "bench-Webhook_secret"
ACCOUNT_SID = "AC" + "0" * 31 + "7"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
WHATSAPP_FROM = "whatsapp:+14155238886"
PUBLIC_URL = "https://puente.bench.example"


def percentile(samples: Sequence[float], fraction: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine() -> dict[str, str]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), "")
    versions = {}
    for name in ("uvicorn", "starlette", "sqlalchemy", "python-telegram-bot", "twilio", "aiohttp",
                 "uvloop", "httptools", "psycopg"):
        try:
            from importlib.metadata import version
            versions[name] = version(name)
        except Exception:  # noqa: BLE001 - a missing package is reported as such
            versions[name] = "absent"
    pg = ""
    with contextlib.suppress(Exception):
        import psycopg
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
            pg = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu or platform.processor(),
        "cores": str(os.cpu_count()),
        "memory": _memory(),
        "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg or "unreachable",
        "packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
    }


def _memory() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    return "?"


# -- resident memory -------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    """VmRSS of one process in MB (0 when it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return sorted(found)


# -- databases -------------------------------------------------------------------------------------

@contextlib.contextmanager
def fresh_database(backend: str, workdir: Path) -> Iterator[str]:
    """A migrated, empty database URL: a SQLite file in workdir, or a PostgreSQL database
    puente_bench_<pid>_<random> on the local server, dropped afterwards."""
    from db.database import Database
    from db.migrate import upgrade

    if backend == "sqlite":
        url = f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        db = Database(url)
        upgrade(db)
        db.dispose()
        yield url
        return
    import psycopg

    name = f"puente_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        db = Database(url)
        upgrade(db)
        db.dispose()
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_sample_vacancies(url: str) -> None:
    """The shipped sample offers, as `puente start` loads them: searches find something."""
    from bot.days import mexico_today
    from bot.vacancies.sample import load_sample
    from db.database import Database

    db = Database(url)
    load_sample(db, mexico_today())
    db.dispose()


def fill_contacts(url: str, count: int, channel: str = "telegram", first_key: int = 9_000_000_000) -> float:
    """Insert `count` contacts with an identity and a conversation at the main menu, in bulk
    (executemany in chunks); seconds taken. Keys start far from the load generator's users."""
    from sqlalchemy import func, select

    from bot.engine import ConversationState
    from db.database import Database
    from db.tables import contacts, conversations, identities

    db = Database(url)
    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    state = ConversationState(language="es", step="main.menu", slots={"language": "es"}, last_seen=now.timestamp())
    state_json = state.to_json()
    chunk = 5000
    with db.transaction() as conn:
        base = conn.execute(select(func.coalesce(func.max(contacts.c.id), 0))).scalar_one()
        for start in range(0, count, chunk):
            ids = range(base + start + 1, base + min(count, start + chunk) + 1)
            conn.execute(contacts.insert(), [
                {"id": i, "language": "es", "opted_out": False, "created_at": now, "last_inbound_at": now} for i in ids
            ])
            conn.execute(identities.insert(), [
                {"contact_id": i, "channel": channel, "user_key": str(first_key + i)} for i in ids
            ])
            conn.execute(conversations.insert(), [
                {"contact_id": i, "state": state_json, "updated_at": now} for i in ids
            ])
    if not db.is_sqlite:
        from sqlalchemy import text
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        with db.engine.connect() as conn:
            # identities.id is a serial: the inserts above gave explicit contact ids only.
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(
                "SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT max(id) FROM contacts))"
            ))
    db.dispose()
    return time.perf_counter() - started


def processed_ids(url: str, channel: str) -> list[str]:
    """External ids of the inbound messages the bot recorded as handled."""
    from sqlalchemy import select

    from db.database import Database
    from db.tables import processed_messages

    db = Database(url)
    with db.transaction() as conn:
        rows = conn.execute(
            select(processed_messages.c.external_id).where(processed_messages.c.channel == channel)
        ).scalars().all()
    db.dispose()
    return list(rows)


def cut_sends(url: str) -> int:
    """Messages whose send a kill cut off mid-way: still `sending` (their lease not run out yet)
    or found interrupted by the outbox's sweep (counted then; afterwards looked for at the
    platform and sent if it did not have them, or, on Telegram, left failed)."""
    from sqlalchemy import func, select

    from db.counters import totals
    from db.database import Database
    from db.outbound import INTERRUPTED, outbound_messages

    db = Database(url)
    with db.transaction() as conn:
        sending = conn.execute(
            select(func.count()).select_from(outbound_messages).where(outbound_messages.c.status == "sending")
        ).scalar_one()
        interrupted = sum(n for key, n in totals(conn, "outbound").items() if key.endswith(f":{INTERRUPTED}"))
    db.dispose()
    return int(sending) + interrupted


def reply_owners(url: str, channel: str) -> dict[str, str]:
    """The platform id of each reply the server recorded as sent (Twilio's sid, Telegram's
    "<chat id>:<message id>") -> the id of the inbound message it answered."""
    from sqlalchemy import select

    from db.answers import turn_answers
    from db.database import Database
    from db.outbound import outbound_messages

    db = Database(url)
    with db.transaction() as conn:
        turns = conn.execute(select(turn_answers.c.external_id, turn_answers.c.outbound)
                             .where(turn_answers.c.channel == channel)).all()
        sent = dict(conn.execute(select(outbound_messages.c.id, outbound_messages.c.external_id)
                                 .where(outbound_messages.c.external_id.is_not(None))).all())
    db.dispose()
    return {sent[row]: external_id for external_id, rows in turns for row in rows if row in sent}


# -- served processes ------------------------------------------------------------------------------

@dataclass
class Served:
    """A server started as a subprocess on a free port."""

    name: str
    argv: list[str]
    env: Mapping[str, str] = field(default_factory=dict)
    ready_path: str = "/healthz"
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, workdir: Path, timeout: float = 60.0) -> Served:
        self.port = self.port or free_port()
        argv = [a.replace("{port}", str(self.port)) for a in self.argv]
        env = {**os.environ, "PYTHONPATH": str(ROOT), **self.env}
        self.log = workdir / f"{self.name}-{self.port}.log"
        out = self.log.open("wb")
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def workers(self) -> list[int]:
        """The processes that serve requests: uvicorn's children when there are several."""
        assert self.process is not None
        kids = [pid for pid in children(self.process.pid) if rss_mb(pid) > 30]
        return kids or [self.process.pid]

    def rss(self) -> list[float]:
        return [rss_mb(pid) for pid in self.workers()]

    def log_tail(self, lines: int = 30) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="puente-bench-") as tmp:
        yield Path(tmp)
