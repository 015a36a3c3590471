"""Login throttling with limits' moving windows, kept in Redis when REDIS_URL is set (every
worker on every machine counts together) and in this process otherwise.

Nobody can lock someone else out: wrong passwords lock a login only for the address they come
from (MAX_FAILED_LOGINS per LOCKOUT); an address that tries too many logins waits a minute;
and many failures on one login from everywhere only slow that login down (each try waits
ACCOUNT_DELAY), never refuse it, so its owner still gets in. The answers are the same whether
the login exists or not."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from limits import RateLimitItemPerMinute, parse

from bot.web.admin.translations import N_

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
# Failed logins from one address (any login) in a minute before it must wait.
PER_ADDRESS = RateLimitItemPerMinute(20)
# Failed logins on one login from all addresses in LOCKOUT before each try is slowed.
PER_ACCOUNT = 30
ACCOUNT_DELAY = 2.0

# Texts staff read (translated when shown: pages/login.py); LOCKED takes %(num)s minutes.
LOCKED = N_("Too many wrong passwords for this login from your address: it is locked here for "
            "%(num)s minutes. An administrator can unlock it.")
BUSY = N_("Too many login attempts from your address. Wait a minute and try again.")
# A refused try is answered after this wait: a client hammering the login gets one answer a
# second instead of keeping the event loop busy.
REFUSAL_DELAY = 1.0


class LoginThrottle:
    def __init__(self, redis_url: str = "", prefix: str = "puente-login") -> None:
        self.redis_url = redis_url
        self.prefix = prefix
        minutes = int(LOCKOUT.total_seconds() // 60)
        self.pair = parse(f"{MAX_FAILED_LOGINS}/{minutes} minutes")
        self.account = parse(f"{PER_ACCOUNT}/{minutes} minutes")
        self._limiter: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.refusal_delay = REFUSAL_DELAY

    def _windows(self) -> Any:
        from limits.aio.storage import MemoryStorage, RedisStorage
        from limits.aio.strategies import MovingWindowRateLimiter

        loop = asyncio.get_running_loop()
        if self._limiter is None or (self.redis_url and self._loop is not loop):
            storage = (
                RedisStorage(f"async+{self.redis_url}", implementation="redispy", key_prefix=self.prefix)
                if self.redis_url else MemoryStorage()
            )
            self._limiter, self._loop = MovingWindowRateLimiter(storage), loop
        return self._limiter

    async def _generation(self, login: str) -> str:
        """Bumped when an administrator unlocks the login: its address locks start afresh."""
        value = await self._windows().storage.get(f"{self.prefix}:unlock:{login}")
        return str(value or 0)

    async def refusal(self, login: str, address: str) -> str | None:
        """Why this try is refused before any password is checked, or None."""
        windows = self._windows()
        if not await windows.test(PER_ADDRESS, "address", address):
            return BUSY
        if not await windows.test(self.pair, "pair", login, address, await self._generation(login)):
            return LOCKED
        return None

    async def delay(self, login: str) -> float:
        """Seconds this try waits: a login under attack from everywhere is slowed, not locked."""
        return 0.0 if await self._windows().test(self.account, "account", login) else ACCOUNT_DELAY

    async def failed(self, login: str, address: str) -> bool:
        """Count a wrong password; True when it locks the login for this address."""
        windows = self._windows()
        await windows.hit(PER_ADDRESS, "address", address)
        await windows.hit(self.account, "account", login)
        generation = await self._generation(login)
        await windows.hit(self.pair, "pair", login, address, generation)
        return not await windows.test(self.pair, "pair", login, address, generation)

    async def forgive(self, login: str) -> None:
        """An administrator unlocked the account: every address may try it again."""
        seconds = int(LOCKOUT.total_seconds()) * 2
        await self._windows().storage.incr(f"{self.prefix}:unlock:{login}", seconds)
