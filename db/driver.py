"""Running the turn's prebuilt statements straight on SQLite's driver.

A turn runs four or five tiny statements; through SQLAlchemy's execution context each costs
several times what sqlite3 itself spends on it (docs/benchmarks.md). On SQLite, `run`
compiles a statement once, with SQLAlchemy, to its SQL text, the order of its parameters
and each value's converter (datetimes, JSON), then executes it on the connection's own
sqlite3 connection, inside the same transaction. What is stored is byte for byte what
SQLAlchemy would store. Other databases go through `Connection.execute` unchanged: there
the network round trip, not Python, is the cost."""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable, Select

Converter = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    binds: tuple[Converter, ...]
    row: type | None  # a namedtuple of the selected columns, for SELECTs
    results: tuple[Converter, ...]


_compiled: dict[tuple[int, str], _Compiled] = {}


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    key = (id(statement), dialect.name)
    found = _compiled.get(key)
    if found is None:
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        names = tuple(compiled.positiontup or ())
        binds = tuple(_impl(compiled.binds[name].type, dialect).bind_processor(dialect) for name in names)
        row, results = None, ()
        if isinstance(statement, Select):
            selected = list(statement.selected_columns)
            row = namedtuple("Row", [c.name for c in selected])  # type: ignore[misc]
            results = tuple(_impl(c.type, dialect).result_processor(dialect, None) for c in selected)
        found = _compiled[key] = _Compiled(compiled.string, names, binds, row, results)
        # Statements are module-level singletons (functools.cache): ids stay valid.
        _keep.append(statement)
    return found


_keep: list[Executable] = []


def _impl(type_: Any, dialect: Dialect) -> Any:
    return type_.dialect_impl(dialect)


def run(conn: Connection, statement: Executable, params: Mapping[str, Any]) -> list[Sequence[Any]]:
    """Execute a prebuilt statement in the connection's transaction; the rows it returns
    (named tuples for a SELECT, plain tuples for RETURNING)."""
    if conn.dialect.name != "sqlite":
        result = conn.execute(statement, params)
        return list(result) if result.returns_rows else []
    compiled = _compile(statement, conn.dialect)
    values = [
        convert(params[name]) if convert is not None else params[name]
        for name, convert in zip(compiled.names, compiled.binds, strict=True)
    ]
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        # Listeners of SQLAlchemy's cursor events (tracing, tests that cut the database) still
        # see every statement.
        if conn.dispatch.before_cursor_execute:
            conn.dispatch.before_cursor_execute(conn, cursor, compiled.sql, values, None, False)
        cursor.execute(compiled.sql, values)
        if conn.dispatch.after_cursor_execute:
            conn.dispatch.after_cursor_execute(conn, cursor, compiled.sql, values, None, False)
    except sqlite3.Error as error:
        # The same exception classes as through SQLAlchemy (OperationalError, IntegrityError),
        # never with the values (they may be personal data).
        raise DBAPIError.instance(
            compiled.sql, values, error, sqlite3.Error, hide_parameters=True, dialect=conn.dialect
        ) from error
    if cursor.description is None:
        return []
    if compiled.row is None:
        return cursor.fetchall()
    return [
        compiled.row(*(convert(value) if convert is not None else value
                       for value, convert in zip(raw, compiled.results, strict=True)))
        for raw in cursor.fetchall()
    ]
