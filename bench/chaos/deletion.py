"""Delete-my-data, then a scan: a person registers on WhatsApp (name, CURP, phone), says
"borrar mis datos" and confirms; then every column of every table is read, and on SQLite every
database file on disk (the database, its -wal and -shm) is searched byte by byte, while the
server still runs (the WAL is where deleted rows linger) and after it stopped. Figure: where
the name, CURP and phone were still found."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from bench.chaos.harness import ChaosApis, PrivatePostgres, serving
from bench.chaos.ledger import Platform
from bench.chaos.machines import REGISTRATION, play
from bench.people import WhatsApp

PERSON = "whatsapp:+5215598765432"
NEEDLES = {"name": "Rosa María Pineda", "curp": "BEML920313HMCLNS09", "phone": "5598765432"}
DELETE = [("say", "borrar mis datos"), ("tap", "Sí, borrar todo")]


def tables_holding(url: str) -> dict[str, list[str]]:
    """needle -> the tables whose rows still hold it."""
    from sqlalchemy import inspect, text

    from db.database import Database

    db = Database(url)
    found: dict[str, list[str]] = {}
    with db.transaction() as conn:
        for table in inspect(conn).get_table_names():
            values = []
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                values += [json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list)) else str(v)
                           for v in row if v is not None]
            contents = "\n".join(values)
            for label, needle in NEEDLES.items():
                if needle in contents:
                    found.setdefault(label, []).append(table)
    db.dispose()
    return found


def files_holding(url: str) -> dict[str, list[str]]:
    """needle -> the SQLite files (database, -wal, -shm, -journal) whose bytes hold it."""
    path = Path(url.removeprefix("sqlite:///"))
    found: dict[str, list[str]] = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        file = Path(str(path) + suffix)
        if not file.exists():
            continue
        data = file.read_bytes()
        for label, needle in NEEDLES.items():
            if needle.encode() in data:
                found.setdefault(label, []).append(suffix or "db")
    return found


async def run(backend: str, apis: ChaosApis, work: Path, pg: PrivatePostgres | None) -> dict[str, Any]:
    apis.reset()
    async with serving(backend, apis, work, pg) as (server, url):
        async with Platform(WhatsApp(), apis, server.url) as platform:
            _, last = await play(platform, server, PERSON, REGISTRATION, tag="reg")
            registered = "Guardamos tu registro" in last
            seen_before = await asyncio.to_thread(tables_holding, url)
            _, last = await play(platform, server, PERSON, DELETE, tag="del")
            deleted = "borramos tus datos" in last
        in_tables = await asyncio.to_thread(tables_holding, url)
        running = files_holding(url) if backend == "sqlite" else None
        await asyncio.to_thread(server.stop)
        stopped = files_holding(url) if backend == "sqlite" else None
    result: dict[str, Any] = {
        "scenario": "deletion", "backend": backend, "registered": registered, "deleted": deleted,
        "found_before_deletion": sorted(seen_before), "tables_after": in_tables,
    }
    if backend == "sqlite":
        result["files_while_running"] = running
        result["files_after_stop"] = stopped
    return result
