"""Outbound pacing: retries with backoff that honour the platform's retry_after, and token
buckets that keep a sender under its messages-per-second budget."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

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

    async def take(self) -> None:
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


@dataclass(frozen=True)
class Pace:
    """Time as the channels see it: real by default, a fake clock and sleep in tests."""

    clock: Clock = time.monotonic
    sleep: Sleep = asyncio.sleep
    backoff: Backoff = Backoff()

