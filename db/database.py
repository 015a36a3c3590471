"""The Database handle: engine with the right settings per backend, and one transaction per use."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import sqlite3
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

_current: contextvars.ContextVar[Connection | None] = contextvars.ContextVar("puente_conn", default=None)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached: webhooks answer 503 so the platform retries later."""


class DatabaseBusy(DatabaseUnavailable):
    """SQLite's write lock stayed with another process (a `puente` command, an import) longer
    than the transaction could wait for it: LOOP_BUSY_TIMEOUT_MS on the event loop,
    BUSY_TIMEOUT_MS on a thread (`waited_ms`)."""

    def __init__(self, reason: str, waited_ms: int) -> None:
        super().__init__(reason)
        self.waited_ms = waited_ms


def storage_failed(error: BaseException) -> bool:
    """Whether the database itself failed somewhere under `error` (a lost or refused connection,
    a lock never granted): a turn that met it is not finished, and the platform must try again.
    An action wraps what it raised (bot.action_bridge.ActionFailed): the chain is followed."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DatabaseUnavailable | OperationalError | InterfaceError):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


# A PostgreSQL that does not answer (its host cut off the network, rather than a refused port)
# fails a new connection after this many seconds: a webhook answers 503 and `puente serve` says
# why, instead of both waiting for the system's TCP timeout (about 2 minutes on Linux). A
# `connect_timeout` in DATABASE_URL wins.
CONNECT_TIMEOUT_S = 5


def connect_args(url: str) -> dict[str, Any]:
    """What the driver is given for every new connection of `url` (normalized)."""
    if url.startswith("sqlite"):
        return {"check_same_thread": False}
    return {} if "connect_timeout=" in url else {"connect_timeout": CONNECT_TIMEOUT_S}


def normalize_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


# How long a SQLite statement waits for another process's write lock before failing.
BUSY_TIMEOUT_MS = 5000
# The same wait for a transaction begun on the event loop (the admin's pages, the outbox): the
# loop serves every webhook, and SQLite waits by sleeping in the thread that asks, so a longer
# wait there froze them all (5 s while a `puente` command held the lock). Past it: DatabaseBusy.
LOOP_BUSY_TIMEOUT_MS = 100


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # Deleted rows are overwritten with zeros (delete my data), whatever SQLite was built with.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    # pysqlite opens transactions itself, only before INSERT/UPDATE/DELETE and never before a
    # SAVEPOINT: a savepoint (begin_nested) then became the outermost transaction and its
    # RELEASE committed on the spot, outside the turn's transaction. SQLAlchemy's documented
    # fix: turn that off and emit BEGIN ourselves (_sqlite_begin).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Any) -> None:
    # Straight to the driver: every turn begins one, and exec_driver_sql costs a statement's
    # whole SQLAlchemy execution context for four letters. A writing transaction (a turn)
    # takes the write lock at once (IMMEDIATE): on the loop when it is free, else waiting for it on a
    # thread (Database.writing).
    immediate = connection.info.pop("immediate", False)
    connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Connections writing transactions leave to the event loop's own short ones (Database.writing).
LOOP_RESERVE = 2

# A pooled connection idle this long is pinged before use (a restarted server closed it).
# Busy connections are not: pool_pre_ping's SELECT 1 was a sixth of a turn on PostgreSQL.
PING_AFTER_IDLE = 5.0


def _mark_used(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(engine: Engine) -> Callable[[Any, Any, Any], None]:
    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("checked_in")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception:  # noqa: BLE001 - any failure means this connection is gone
            alive = False
        if not alive:
            # The pool discards it and checks out (or opens) another one.
            raise DisconnectionError("pooled connection is gone")

    return checkout


class Database:
    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = normalize_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo, "future": True, "connect_args": connect_args(self.url)}
        if not self.is_sqlite:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size)
        self.engine: Engine = create_engine(self.url, **kwargs)
        # Writing transactions (turns) hold at most all connections but LOOP_RESERVE: a turn
        # waiting for its person's lock holds one, and the short transactions run on the event
        # loop (`transaction`: a delivery report, an opt-out) must always find one, or the loop
        # stops for the pool's timeout (30 s) while the turns holding the locks wait for the
        # loop to finish them.
        self._writers = (None if self.is_sqlite
                         else threading.BoundedSemaphore(max(1, 2 * pool_size - LOOP_RESERVE)))
        # Threads that wait for a connection and the turn's locks (Database.writing): as many
        # as connections, so that people waiting behind one person's burst never wait for a
        # thread (the default executor has a few per core).
        self._waits = ThreadPoolExecutor(max_workers=1 if self.is_sqlite else 2 * pool_size,
                                         thread_name_prefix="puente-db-wait")
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            event.listen(self.engine, "checkin", _mark_used)
            event.listen(self.engine, "checkout", _ping_if_idle(self.engine))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; nested uses (an action inside a turn) share the outer one."""
        outer = _current.get()
        if outer is not None:
            yield outer
            return
        try:
            connection = self.engine.connect()
        except OperationalError as error:
            raise DatabaseUnavailable(_first_line(error)) from None
        waits = self._waits_as_its_caller_may(connection)
        token = _current.set(connection)
        try:
            with connection.begin():
                yield connection
        except OperationalError as error:
            if _busy(error):
                raise DatabaseBusy(_first_line(error), waits) from error
            raise DatabaseUnavailable(_first_line(error)) from error
        finally:
            _current.reset(token)
            connection.close()

    def _waits_as_its_caller_may(self, connection: Connection) -> int:
        """SQLite: a transaction begun on the event loop waits LOOP_BUSY_TIMEOUT_MS for another
        process's write lock, one begun on a thread BUSY_TIMEOUT_MS (returned: what it may wait)."""
        waits = LOOP_BUSY_TIMEOUT_MS if _on_event_loop() else BUSY_TIMEOUT_MS
        if self.is_sqlite:
            _busy_timeout(connection, waits)
        return waits

    @contextlib.asynccontextmanager
    async def writing(
        self, person: str | None = None, *,
        while_waiting: contextlib.AbstractAsyncContextManager[None] | None = None,
    ) -> AsyncIterator[Connection]:
        """One transaction whose waits happen on a thread, never on the event loop: getting a
        connection, SQLite's write lock (BEGIN IMMEDIATE: another process may hold it up to
        busy_timeout; taken on the loop itself when it is free, the usual case, saving the
        thread hop) and, on PostgreSQL, the advisory lock of `person` ("channel:user key"),
        which keeps one person's turns in order across every worker and machine (released at
        commit). `while_waiting` is held until those locks are granted (the caller's own
        queue in the process). Nested uses (an action inside a turn) share it, as with
        `transaction`."""
        outer = _current.get()
        if outer is not None:
            yield outer
            return
        try:
            begun = self._begin_writing_now() if self.is_sqlite else None
            if begun is None:
                async with while_waiting or contextlib.nullcontext():
                    begun = await self._begun_on_thread(person)
        except OperationalError as error:
            raise DatabaseUnavailable(_first_line(error)) from error
        except sqlite3.OperationalError as error:  # BEGIN IMMEDIATE past busy_timeout
            raise DatabaseUnavailable(str(error)) from error
        connection, transaction = begun
        token = _current.set(connection)
        try:
            try:
                yield connection
            except BaseException:
                transaction.rollback()
                raise
            transaction.commit()
        except OperationalError as error:
            raise DatabaseUnavailable(_first_line(error)) from error
        finally:
            _current.reset(token)
            self._close_writing(connection)

    async def _begun_on_thread(self, person: str | None) -> tuple[Connection, Any]:
        begun = self._waits.submit(functools.partial(self._begin_writing, person))
        try:
            return await asyncio.wrap_future(begun)
        except asyncio.CancelledError:
            # The thread may still get the connection and the person's lock (a server
            # stopping gives up its waiting turns): they go back as soon as it has them, or
            # the person's next turn would wait for them.
            begun.cancel()  # (not started yet: it never will)
            begun.add_done_callback(self._discard)
            raise

    def _begin_writing_now(self) -> tuple[Connection, Any] | None:
        """SQLite: the write lock taken at once when it is free, without waiting (busy_timeout 0
        for the BEGIN), on the event loop: no thread hop. It is free unless another process
        holds it: this process's writers take it one at a time (bot/conversation/ordering.py).
        None when it is taken: the caller waits for it on a thread."""
        connection = self.engine.connect()
        try:
            _busy_timeout(connection, 0)
            connection.info["immediate"] = True
            try:
                transaction = connection.begin()
            finally:
                _busy_timeout(connection, BUSY_TIMEOUT_MS)
        except sqlite3.OperationalError as error:
            connection.close()
            if _busy(error):
                return None
            raise
        except BaseException:
            connection.close()
            raise
        return connection, transaction

    def _begin_writing(self, person: str | None) -> tuple[Connection, Any]:
        if self._writers is not None:
            self._writers.acquire()
        try:
            connection = self.engine.connect()
        except BaseException:
            if self._writers is not None:
                self._writers.release()
            raise
        try:
            if self.is_sqlite:
                _busy_timeout(connection, BUSY_TIMEOUT_MS)  # waited for here, on a thread
                connection.info["immediate"] = True
            transaction = connection.begin()
            if person is not None and not self.is_sqlite:
                connection.exec_driver_sql(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%(person)s, 0))", {"person": person}
                )
        except BaseException:
            self._close_writing(connection)
            raise
        return connection, transaction

    def _close_writing(self, connection: Connection) -> None:
        """A writing transaction's connection back to the pool (rolled back if still open)."""
        try:
            connection.close()
        finally:
            if self._writers is not None:
                self._writers.release()

    def _discard(self, begun: Future[tuple[Connection, Any]]) -> None:
        """A writing transaction begun for a caller that is gone: rolled back and closed."""
        if not begun.cancelled() and begun.exception() is None:
            self._close_writing(begun.result()[0])

    @contextlib.contextmanager
    def rolled_back(self) -> Iterator[Connection]:
        """A transaction that is always rolled back, joined by nested uses: dry runs (the admin's
        simulator running real actions) leave nothing behind."""
        connection = self.engine.connect()
        self._waits_as_its_caller_may(connection)
        token = _current.set(connection)
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()
            _current.reset(token)
            connection.close()

    async def checkpoint(self) -> bool:
        """SQLite: copy the WAL into the database file and empty it (after a deletion, so the
        deleted rows' old pages are in no file); False when a reader kept it from finishing
        (the next checkpoint does). Waits on a thread. Nothing to do on PostgreSQL."""
        if not self.is_sqlite:
            return True
        return await asyncio.get_running_loop().run_in_executor(self._waits, self._checkpoint)

    def _checkpoint(self) -> bool:
        with self.engine.connect() as connection:
            _busy_timeout(connection, BUSY_TIMEOUT_MS)  # on a thread: the readers may take a moment
            busy, _, _ = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        return not busy

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        except DBAPIError:
            return False

    def dispose(self) -> None:
        self.engine.dispose()
        self._waits.shutdown(wait=False)


def _on_event_loop() -> bool:
    """Whether the caller runs on an event loop (in its thread), not on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _busy_timeout(connection: Connection, milliseconds: int) -> None:
    """SQLite's wait for another's write lock on this connection, set only when it changes: the
    value is remembered with the pooled connection (a connection serves the loop and threads
    in turn; most uses find it as they need it, and a PRAGMA costs a transaction ~15 us)."""
    pooled = connection.connection
    if pooled.info.get("busy_timeout", BUSY_TIMEOUT_MS) != milliseconds:
        raw = pooled.dbapi_connection
        assert raw is not None
        raw.execute(f"PRAGMA busy_timeout={milliseconds}")
        pooled.info["busy_timeout"] = milliseconds


def _busy(error: OperationalError | sqlite3.OperationalError) -> bool:
    """SQLite's "database is locked" (as the driver or SQLAlchemy raised it): its write lock
    was not granted in time."""
    code = getattr(getattr(error, "orig", error), "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


def _first_line(error: DBAPIError) -> str:
    return str(error.orig).splitlines()[0] if error.orig is not None else type(error).__name__


def ensure_sqlite_dir(url: str) -> None:
    """The folder of a SQLite file, made when missing (here, not in bot.app: `puente db upgrade`,
    run by every `puente serve` before its workers start, need not import the whole app)."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
