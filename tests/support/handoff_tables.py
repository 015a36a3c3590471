"""The handoff tables as HANDOFF_SCHEMA.md describes them, for the network figures' tests until
db/handoffs.py (the handoff branch, migration 0010a_) is merged: then this module and the
`handoff_tables` fixture go, and tests insert through the real tables. Created only when the
database lacks them and dropped after the test (the PostgreSQL test database is shared by the
session, and tests/test_migrations.py compares it with the code), so it is harmless once the
real tables exist. No foreign keys: only the columns the figures read matter here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, insert, inspect

from db.database import Database

spec = MetaData()

handoffs = Table(
    "handoffs",
    spec,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, nullable=False),
    Column("organization_id", Integer),
    Column("channel", String(16), nullable=False),
    Column("language", String(8), nullable=False),
    Column("topic", String(128)),
    Column("status", String(8), nullable=False),
    Column("assigned_to", Integer),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("first_answer_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("outcome", String(16)),
)


@contextmanager
def created(db: Database) -> Iterator[None]:
    with db.engine.begin() as conn:
        made = not inspect(conn).has_table("handoffs")
        if made:
            spec.create_all(conn)
    try:
        yield
    finally:
        if made:
            with db.engine.begin() as conn:
                spec.drop_all(conn)


def add_handoff(db: Database, contact_id: int, organization_id: int | None, opened: dt.datetime,
                first_answer: dt.datetime | None = None) -> None:
    with db.transaction() as conn:
        conn.execute(insert(handoffs).values(
            contact_id=contact_id, organization_id=organization_id, channel="telegram", language="es",
            status="open", opened_at=opened, first_answer_at=first_answer))
