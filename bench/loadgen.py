"""The load generator: users who post platform webhooks over real HTTP (asyncio + aiohttp,
uvloop); the fake platform APIs the server under test replies to are in bench/fake_apis.py.

A turn starts when an update is offered (saturation: when the connection is free; fixed
rate: at its scheduled time, so queueing is counted) and ends when the reply reached the
platform: in the webhook's response (Puente's last reply, TwiML, the do-nothing 200) or at the
fake API (the python-telegram-bot echo bot sends its reply with sendMessage).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.common import percentile
from bench.fake_apis import FakeApis
from bench.people import PROTOCOLS, Telegram, User, WhatsApp

# -- results ---------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """One offered update: when it was offered and ended, its last status and replies."""

    external_id: str
    offered: float
    ended: float = 0.0
    sent: float = 0.0        # when the (last) request left the platform's queue for the server
    status: int = 0          # last HTTP status (0: no answer: timeout or connection error)
    attempts: int = 0
    answered: int = 0        # responses (or API replies) that carried a reply for this update
    error: str = ""


@dataclass
class Result:
    target: str
    shape: str
    seconds: float
    offered_rate: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    window: tuple[float, float] = (0.0, 0.0)
    api_calls: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)   # every attempt's status

    def in_window(self) -> list[Outcome]:
        start, end = self.window
        return [o for o in self.outcomes if start <= o.offered < end]

    @property
    def completed(self) -> list[Outcome]:
        return [o for o in self.outcomes if 200 <= o.status < 300]

    @property
    def throughput(self) -> float:
        """Turns per second that ended inside the measured window."""
        start, end = self.window
        done = sum(1 for o in self.completed if start <= o.ended < end)
        return done / (end - start) if end > start else 0.0

    def latencies_ms(self, outcomes: list[Outcome] | None = None) -> list[float]:
        chosen = self.in_window() if outcomes is None else outcomes
        return [(o.ended - o.offered) * 1000 for o in chosen if 200 <= o.status < 300]

    def latency(self, fraction: float, outcomes: list[Outcome] | None = None) -> float:
        return percentile(self.latencies_ms(outcomes), fraction)

    @property
    def answered_share(self) -> float:
        done = self.completed
        return sum(1 for o in done if o.answered) / len(done) if done else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "target": self.target, "shape": self.shape, "seconds": self.seconds,
            "offered_rate": self.offered_rate, "offered": len(self.outcomes),
            "completed": len(self.completed), "throughput": round(self.throughput, 1),
            "p50_ms": round(self.latency(0.5), 2), "p95_ms": round(self.latency(0.95), 2),
            "p99_ms": round(self.latency(0.99), 2), "answered_share": round(self.answered_share, 4),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "api_calls": dict(self.api_calls),
            "errors": dict(Counter(o.error for o in self.outcomes if o.error)),
        }


# -- the load ----------------------------------------------------------------------------------------------

class Load:
    """Users of one platform posting to one server. `reply_via`: "response" when the turn ends
    with the webhook's response, "api" when it ends with the reply at the fake API."""

    def __init__(self, protocol: Telegram | WhatsApp, apis: FakeApis, target_url: str, *,
                 users: int = 1000, connections: int = 40, reply_via: str = "response",
                 timeout: float = 30.0, retries: int = 0, retry_delay: float = 1.0) -> None:
        self.protocol = protocol
        self.apis = apis
        self.url = target_url.rstrip("/") + protocol.path
        self.users = [protocol.user(i) for i in range(users)]
        self.by_key = {u.key: u for u in self.users}
        self.connections = connections
        self.reply_via = reply_via
        self.timeout = timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self.statuses: Counter[int] = Counter()
        self.slots = asyncio.Semaphore(connections)
        self.session: aiohttp.ClientSession | None = None
        apis.on_reply = self._api_reply

    def _api_reply(self, key: str, params: dict[str, Any]) -> None:
        user = self.by_key.get(key)
        if user is not None:
            self.protocol.read_reply(user, params)

    async def __aenter__(self) -> Load:
        connector = aiohttp.TCPConnector(limit=self.connections + 8, limit_per_host=self.connections + 8,
                                         force_close=False, enable_cleanup_closed=False, ttl_dns_cache=None)
        self.session = aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None),
                                             skip_auto_headers=("User-Agent",))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()

    async def turn(self, user: User, offered: float) -> Outcome:
        """Post the user's next update (again after 429/5xx/no answer, up to `retries` times,
        as Telegram and Twilio do) and wait for the turn's end."""
        assert self.session is not None
        body, headers, external_id = self.protocol.request(user)
        outcome = Outcome(external_id, offered)
        while True:
            outcome.attempts += 1
            waiter = self.apis.expect(user.key) if self.reply_via == "api" else None
            try:
                # Like Telegram: at most `connections` requests open at once, the rest wait in
                # the platform's queue; the timeout runs only once a request is sent.
                async with self.slots:
                    outcome.sent = time.perf_counter()
                    async with asyncio.timeout(self.timeout):
                        async with self.session.post(self.url, data=body, headers=headers) as response:
                            content = await response.read()
                            outcome.status = response.status
                self.statuses[outcome.status] += 1
                if 200 <= outcome.status < 300:
                    if waiter is not None:
                        # The connection is free again; the reply comes through the fake API.
                        async with asyncio.timeout(self.timeout):
                            await waiter
                        outcome.answered += 1
                    elif self.protocol.read_response(user, content):
                        outcome.answered += 1
                    outcome.error = ""
            except (TimeoutError, aiohttp.ClientError, OSError) as error:
                outcome.status = 0
                outcome.error = type(error).__name__
                self.statuses[0] += 1
            finally:
                if waiter is not None and not waiter.done():
                    waiter.cancel()
            outcome.ended = time.perf_counter()
            if 200 <= outcome.status < 300 or outcome.attempts > self.retries:
                return outcome
            if outcome.status and outcome.status < 500 and outcome.status != 429:
                return outcome  # 4xx: the platform gives up too
            await asyncio.sleep(self.retry_delay)

    async def saturation(self, seconds: float, warmup: float = 2.0, target: str = "") -> Result:
        """`connections` loops, each posting its next update when the previous turn ended;
        each loop owns its share of the users."""
        result = Result(target, "saturation", seconds)
        start = time.perf_counter()
        stop = start + warmup + seconds
        result.window = (start + warmup, stop)

        async def loop(number: int) -> None:
            mine = self.users[number::self.connections]
            turn = 0
            while time.perf_counter() < stop:
                user = mine[turn % len(mine)]
                turn += 1
                result.outcomes.append(await self.turn(user, time.perf_counter()))

        await asyncio.gather(*(loop(n) for n in range(self.connections)))
        self._finish(result)
        return result

    async def fixed_rate(self, rate: float, seconds: float, warmup: float = 2.0, target: str = "",
                         shape: str = "", drain: float = 60.0, users: list[User] | None = None) -> Result:
        """Updates offered at `rate` per second (evenly spaced), each from a user with no turn
        in flight; latency counts from the offer, so waiting for a connection is included."""
        result = Result(target, shape or f"{rate:g}/s", seconds, offered_rate=rate)
        idle: asyncio.Queue[User] = asyncio.Queue()
        shuffled = list(self.users if users is None else users)
        random.Random(1).shuffle(shuffled)
        for user in shuffled:
            idle.put_nowait(user)
        tasks: set[asyncio.Task[None]] = set()
        start = time.perf_counter()
        result.window = (start + warmup, start + warmup + seconds)

        async def one(offered: float) -> None:
            user = await idle.get()
            try:
                result.outcomes.append(await self.turn(user, offered))
            finally:
                idle.put_nowait(user)

        total = int((warmup + seconds) * rate)
        for k in range(total):
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0.0005:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks, timeout=drain)
        for task in tasks:
            task.cancel()
        self._finish(result)
        return result

    def _finish(self, result: Result) -> None:
        result.api_calls = Counter(self.apis.calls)
        result.statuses = Counter(self.statuses)
        self.apis.calls.clear()
        self.statuses.clear()


async def run_against(protocol_name: str, target_url: str, body: Callable[[Load], Any], *,
                      reply_via: str = "response", apis: FakeApis | None = None, **options: Any) -> Any:
    """Open a Load against target_url (with FakeApis already started by the caller) and run body."""
    assert apis is not None
    protocol = PROTOCOLS[protocol_name]()
    async with Load(protocol, apis, target_url, reply_via=reply_via, **options) as load:
        return await body(load)
