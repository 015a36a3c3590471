"""Running prebuilt statements straight on the database driver: the turn's own, a vacancy
search page and one offer by primary key (db/vacancies/).

A turn runs three to five tiny statements; through SQLAlchemy's execution context each cost
several times what sqlite3 itself spends on it (docs/benchmarks.md). `run` compiles a
statement once per dialect, with SQLAlchemy, to its SQL text, its parameters and each value's
converter (datetimes, JSON), then executes it on the connection's own driver connection
(sqlite3 or psycopg), inside the same transaction. What is stored is what SQLAlchemy would
store; errors are SQLAlchemy's exception classes; a lost connection is invalidated as
SQLAlchemy would; cursor event listeners (tracing) still see every statement."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, InvalidRequestError
from sqlalchemy.sql import Executable, Select

Converter = Callable[[Any], Any] | None
_ASKED = object()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    binds: tuple[Converter, ...]
    positional: bool  # sqlite3 takes a list (qmark); psycopg a dict (pyformat)
    # Per name, the value the statement carries itself (e.g. the OFFSET 0 SQLite adds after a
    # LIMIT), or _ASKED: the caller gives it.
    fixed: tuple[Any, ...]
    row: type | None  # a namedtuple of the selected columns, for SELECTs
    results: tuple[Converter, ...]


# Statements are module-level singletons (built once, functools.cache): keyed by identity,
# and kept alive here so that an id is never reused.
_compiled: dict[tuple[int, str], tuple[_Compiled, Executable]] = {}


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    key = (id(statement), dialect.name)
    found = _compiled.get(key)
    if found is not None:
        return found[0]
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.binds)
    binds = tuple(_impl(compiled.binds[name].type, dialect).bind_processor(dialect) for name in names)
    fixed = tuple(_ASKED if compiled.binds[name].required else compiled.binds[name].effective_value for name in names)
    row, results = None, ()
    if isinstance(statement, Select):
        selected = list(statement.selected_columns)
        row = namedtuple("Row", [c.name for c in selected])  # type: ignore[misc]
        results = tuple(_result_converter(c.type, dialect) for c in selected)
    made = _Compiled(compiled.string, names, binds, positional, fixed, row, results)
    _compiled[key] = (made, statement)
    return made


def _impl(type_: Any, dialect: Dialect) -> Any:
    return type_.dialect_impl(dialect)


def _result_converter(type_: Any, dialect: Dialect) -> Converter:
    impl = _impl(type_, dialect)
    try:
        return impl.result_processor(dialect, None)  # type: ignore[no-any-return]
    except (TypeError, InvalidRequestError):
        # psycopg's Numeric asks for the column's type code, which the driver gives only with
        # rows; a column declared NUMERIC comes back as numeric: asked with that code, it
        # converts as SQLAlchemy would (Decimal, or float for asdecimal=False).
        from psycopg.postgres import types

        return impl.result_processor(dialect, types["numeric"].oid)  # type: ignore[no-any-return]


def run(conn: Connection, statement: Executable, params: Mapping[str, Any]) -> list[Sequence[Any]]:
    """Execute a prebuilt statement in the connection's transaction; the rows it returns
    (named tuples for a SELECT, plain tuples for RETURNING)."""
    dialect = conn.dialect
    compiled = _compile(statement, dialect)
    given = [params[name] if fixed is _ASKED else fixed for name, fixed in zip(compiled.names, compiled.fixed, strict=True)]
    converted = [convert(value) if convert is not None else value
                 for value, convert in zip(given, compiled.binds, strict=True)]
    values: Any = converted if compiled.positional else dict(zip(compiled.names, converted, strict=True))
    raw = conn.connection.driver_connection
    cursor = raw.cursor()  # type: ignore[union-attr]
    dbapi_error = dialect.loaded_dbapi.Error
    try:
        if conn.dispatch.before_cursor_execute:
            conn.dispatch.before_cursor_execute(conn, cursor, compiled.sql, values, None, False)
        cursor.execute(compiled.sql, values)
        if conn.dispatch.after_cursor_execute:
            conn.dispatch.after_cursor_execute(conn, cursor, compiled.sql, values, None, False)
        fetched = cursor.fetchall() if cursor.description is not None else []
    except dbapi_error as error:
        lost = dialect.is_disconnect(error, raw, cursor)
        if lost:
            conn.invalidate()
        # Never with the values: they may be personal data.
        raise DBAPIError.instance(
            compiled.sql, values, error, dbapi_error, hide_parameters=True,
            connection_invalidated=lost, dialect=dialect,
        ) from error
    finally:
        cursor.close()
    if compiled.row is None:
        return fetched
    return [
        compiled.row(*(convert(value) if convert is not None else value
                       for value, convert in zip(found, compiled.results, strict=True)))
        for found in fetched
    ]
