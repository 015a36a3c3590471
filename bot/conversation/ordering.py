"""One person's turns one after another: a lock per person in this process, and on SQLite
(one writer) one turn at a time, so no turn waits on another's lock while holding the event
loop. Anything that writes a person's rows outside a turn holds the same lock."""

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
        """The person's turn lock (and SQLite's writer lock) until the block ends."""
        return self._held(f"{channel}:{user_key}")
