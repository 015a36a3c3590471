"""Outbound pacing: retries with backoff that honour the platform's retry_after, and the
messages-per-second budgets of a sender and of one chat: token buckets in this process, or,
with REDIS_URL, one budget shared by every worker on every machine (limits' moving window on
Redis)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("puente.pacing")

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


def retryable(status: int) -> bool:
    """429 (slow down) and 5xx (the platform's trouble) are worth another try; 4xx are not."""
    return status == 429 or status >= 500


@dataclass(frozen=True)
class Backoff:
    """How often and how long to wait: 0.5 s, 1 s, 2 s, 4 s... unless the platform says when."""

    attempts: int = 5
    base: float = 0.5
    factor: float = 2.0
    cap: float = 30.0
    # A retry_after beyond this is not waited for: the message fails and is reported.
    longest_wait: float = 60.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float | None:
        """Seconds to wait after failed try number `attempt` (1-based); None means give up."""
        if attempt >= self.attempts:
            return None
        if retry_after is not None:
            return float(retry_after) if retry_after <= self.longest_wait else None
        return min(self.cap, self.base * self.factor ** (attempt - 1))


class TokenBucket:
    """`rate` messages per second on average, at most `burst` at once."""

    def __init__(self, rate: float, burst: float, clock: Clock, sleep: Sleep) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.sleep = sleep
        self.tokens = burst
        self.updated = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    async def take(self, key: str = "") -> None:
        while True:
            self._refill()
            # The tolerance absorbs float rounding: 0.9999999999 tokens is one token.
            if self.tokens >= 1 - 1e-9:
                self.tokens = max(0.0, self.tokens - 1)
                return
            await self.sleep(max((1 - self.tokens) / self.rate, 0.001))

    @property
    def idle(self) -> bool:
        self._refill()
        return self.tokens >= self.burst


class KeyedBuckets:
    """One bucket per chat or recipient, forgotten once it is full again (idle)."""

    def __init__(self, rate: float, burst: float, clock: Clock, sleep: Sleep, keep: int = 10_000) -> None:
        self.rate, self.burst, self.clock, self.sleep, self.keep = rate, burst, clock, sleep, keep
        self._buckets: dict[str, TokenBucket] = {}

    async def take(self, key: str) -> None:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.keep:
                self._buckets = {k: b for k, b in self._buckets.items() if not b.idle}
            bucket = self._buckets[key] = TokenBucket(self.rate, self.burst, self.clock, self.sleep)
        await bucket.take()


class Budget(Protocol):
    """A messages-per-second budget: `take` returns when one more message may go."""

    rate: float

    async def take(self, key: str = "") -> None: ...


class SharedRate:
    """Budgets kept in Redis, so every worker on every machine draws from the same ones:
    limits' moving window (never more than `rate` messages in any second), through redis-py's
    asyncio client. One client per event loop (its connections belong to the loop)."""

    def __init__(self, url: str, prefix: str = "puente") -> None:
        self.url = url
        self.prefix = prefix
        self._limiter: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def limiter(self) -> Any:
        from limits.aio.storage import RedisStorage
        from limits.aio.strategies import MovingWindowRateLimiter

        loop = asyncio.get_running_loop()
        if self._limiter is None or self._loop is not loop:
            storage = RedisStorage(f"async+{self.url}", implementation="redispy", key_prefix=self.prefix)
            self._limiter, self._loop = MovingWindowRateLimiter(storage), loop
        return self._limiter


class SharedBudget:
    """`rate` messages per second for `name` (and per key, when given), shared through Redis.
    Redis unreachable: this process's own bucket keeps the pace, and the log says so once."""

    def __init__(self, shared: SharedRate, name: str, rate: float, local: TokenBucket | KeyedBuckets,
                 sleep: Sleep) -> None:
        from limits import RateLimitItemPerSecond

        self.shared, self.name, self.rate, self.local, self.sleep = shared, name, rate, local, sleep
        self.item = RateLimitItemPerSecond(max(1, int(rate)))
        self._warned = False

    async def take(self, key: str = "") -> None:
        while True:
            try:
                limiter = self.shared.limiter()
                if await limiter.hit(self.item, self.name, key):
                    return
                stats = await limiter.get_window_stats(self.item, self.name, key)
            except Exception as error:  # noqa: BLE001 - any Redis trouble: pace in process
                if not self._warned:
                    log.warning("shared pace unavailable (%s): pacing in this process", type(error).__name__)
                    self._warned = True
                await (self.local.take(key) if isinstance(self.local, KeyedBuckets) else self.local.take())
                return
            # reset_time: when the oldest message of the window leaves it.
            await self.sleep(min(1.0, max(0.002, stats.reset_time - time.time())))


@dataclass(frozen=True)
class Pace:
    """Time as the channels see it (real by default, a fake clock and sleep in tests), and
    where the budgets live: this process, or Redis when `shared` is set."""

    clock: Clock = time.monotonic
    sleep: Sleep = asyncio.sleep
    backoff: Backoff = Backoff()
    shared: SharedRate | None = field(default=None)

    def budget(self, name: str, rate: float) -> TokenBucket | SharedBudget:
        """A sender's budget (a bot, a WhatsApp number), bursts up to one second's worth."""
        local = TokenBucket(rate, rate, self.clock, self.sleep)
        return local if self.shared is None else SharedBudget(self.shared, name, rate, local, self.sleep)

    def per_key(self, name: str, rate: float) -> KeyedBuckets | SharedBudget:
        """One budget per chat or recipient."""
        local = KeyedBuckets(rate, rate, self.clock, self.sleep)
        return local if self.shared is None else SharedBudget(self.shared, name, rate, local, self.sleep)


def pace_for(redis_url: str) -> Pace:
    """Real time; budgets in Redis when REDIS_URL is set, in this process otherwise."""
    return Pace(shared=SharedRate(redis_url)) if redis_url else Pace()

