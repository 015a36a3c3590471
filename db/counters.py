"""Daily counters without personal data (topics read, translation fallbacks, misses, errors)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.tables import counters


def bump(conn: Connection, day: dt.date, counts: Counter[tuple[str, str]]) -> None:
    if not counts:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    for (name, key), n in sorted(counts.items()):
        statement = insert(counters).values(day=day, name=name, key=key[:160], count=n)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "name", "key"], set_={"count": counters.c.count + n}
            )
        )


def totals(conn: Connection, name: str, since: dt.date | None = None) -> dict[str, int]:
    query = select(counters.c.key, counters.c.count).where(counters.c.name == name)
    if since is not None:
        query = query.where(counters.c.day >= since)
    result: dict[str, int] = {}
    for key, count in conn.execute(query):
        result[key] = result.get(key, 0) + count
    return result
