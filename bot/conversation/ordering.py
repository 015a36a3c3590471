"""One person's turns one after another. On PostgreSQL a turn's transaction begins with an
advisory lock keyed by the person (db.database.Database.writing): PostgreSQL grants it in the
order it was asked for, across every worker and machine. In the process, a person's turns
ask for it one after another, each once the one before was granted (not done): so they ask
in the order they arrived, and a message on another worker queues behind those already
asking. On SQLite (one process, one writer) a lock per person in the process for the whole
turn, and one turn at a time. Anything that writes a person's rows outside a turn holds the
process's lock, and on SQLite every other write made on the event loop holds the writer lock
(`writer`): waiting there for SQLite's lock held by a turn would block the very loop the turn
needs to finish, then fail as busy (db.database.LOOP_BUSY_TIMEOUT_MS)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class UserLocks:
    """One asyncio lock per user key, dropped when nobody waits: turns of a user never overlap."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def free(self, key: str) -> bool:
        """Nobody holds or waits for this user's lock."""
        return key not in self._locks


class Ordering:
    def __init__(self, *, single_writer: bool) -> None:
        self.users = UserLocks()
        self._single = asyncio.Lock() if single_writer else None

    @contextlib.asynccontextmanager
    async def _held(self, key: str) -> AsyncIterator[None]:
        async with self.users.hold(key):
            if self._single is None:
                yield
            else:
                async with self._single:
                    yield

    def hold(self, channel: str, user_key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """The person's lock in this process (and SQLite's writer lock) until the block ends."""
        return self._held(f"{channel}:{user_key}")

    def briefly(self, channel: str, user_key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """`hold` for a short block that does not await (recording what became of a message):
        at once when both locks are free, since nobody can take them before the block ends."""
        key = f"{channel}:{user_key}"
        if self.users.free(key) and (self._single is None or not self._single.locked()):
            return contextlib.nullcontext()
        return self._held(key)

    def writer(self) -> contextlib.AbstractAsyncContextManager[None]:
        """SQLite's writer lock in the process, for a short write that belongs to no one person
        (the outbox's sweep, pruning, claiming a row) and does not await; nothing on
        PostgreSQL. When nobody holds it, no turn of this process is inside SQLite's write lock
        and a block that does not await ends before one can begin: it runs at once, not behind
        the turns queued for the lock (a claim would wait for all of them before its message
        leaves)."""
        if self._single is None or not self._single.locked():
            return contextlib.nullcontext()
        return self._single

    def turn(self, channel: str, user_key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """What a turn holds in the process for its whole length: `hold` on SQLite; nothing on
        PostgreSQL, where the transaction holds the person's advisory lock."""
        if self._single is None:
            return contextlib.nullcontext()
        return self.hold(channel, user_key)

    def asking(self, channel: str, user_key: str) -> contextlib.AbstractAsyncContextManager[None] | None:
        """What a turn holds while it asks for the person's advisory lock (PostgreSQL): the
        person's lock in the process, released once PostgreSQL granted it."""
        return self.hold(channel, user_key) if self._single is None else None
