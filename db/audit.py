"""The audit log: who did what and when (exports, content changes, staff actions). No personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, String, Table, insert, select
from sqlalchemy.engine import Connection

from db.tables import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    # A staff login, or "cli:<os user>" for commands run on the server.
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    # Counts, filters, revision ids: never names, phones or CURPs.
    Column("detail", JSON, nullable=False),
)


def record(conn: Connection, actor: str, action: str, detail: dict[str, Any], at: dt.datetime | None = None) -> None:
    conn.execute(
        insert(audit_log).values(
            at=at or dt.datetime.now(dt.UTC), actor=actor[:128], action=action[:64], detail=detail
        )
    )


def entries(conn: Connection, limit: int = 200) -> list[dict[str, Any]]:
    rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
    return [dict(row._mapping) for row in rows]
