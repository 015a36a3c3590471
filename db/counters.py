"""Daily counters without personal data (topics read, translation fallbacks, misses, errors)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import Executable

from db import driver
from db.tables import counters


@cache
def _bump_statement(dialect: str) -> Executable:
    """Built once per dialect: turns bump counters on most messages."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(counters).values(
        day=bindparam("day"), name=bindparam("name"), key=bindparam("key"), count=bindparam("n")
    )
    return statement.on_conflict_do_update(
        index_elements=["day", "name", "key"], set_={"count": counters.c.count + statement.excluded.count}
    )


def bump(conn: Connection, day: dt.date, counts: Counter[tuple[str, str]]) -> None:
    if not counts:
        return
    rows = [{"day": day, "name": name, "key": key[:160], "n": n} for (name, key), n in sorted(counts.items())]
    statement = _bump_statement(conn.dialect.name)
    for row in rows:
        driver.run(conn, statement, row)


def totals(conn: Connection, name: str, since: dt.date | None = None) -> dict[str, int]:
    query = select(counters.c.key, counters.c.count).where(counters.c.name == name)
    if since is not None:
        query = query.where(counters.c.day >= since)
    result: dict[str, int] = {}
    for key, count in conn.execute(query):
        result[key] = result.get(key, 0) + count
    return result
