"""The ledger of what the platform offered and what came back: every update, its attempts (a
platform posts again after a 5xx, a 429 or no answer), the replies each attempt carried in its
response or caused at the fake API, and from that, against the message ids the database
recorded, the three figures that matter:

- acknowledged then lost: an update answered 2xx whose turn is not stored;
- stored, never answered: a stored turn whose reply never reached the user;
- duplicate replies: an update whose replies reached the user on more than one attempt.

Every turn the scripts play answers something, so a stored turn with no reply is a lost one."""

from __future__ import annotations

import asyncio
import bisect
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.chaos.harness import ChaosApis
from bench.loadgen import Telegram, User, WhatsApp

# The apology of a failed turn (dialogs/system.yaml, messages.error, Spanish).
APOLOGY = "algo falló".encode()


@dataclass
class Attempt:
    started: float
    ended: float = 0.0
    status: int = 0          # 0: no answer (connection refused or reset, timeout)
    replied: bool = False    # the response carried a reply
    apology: bool = False
    api_replies: int = 0     # replies that reached the fake API during this attempt


@dataclass
class Update:
    key: str
    external_id: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return any(200 <= a.status < 300 for a in self.attempts)

    @property
    def answered_attempts(self) -> int:
        return sum(1 for a in self.attempts if a.replied or a.api_replies)


@dataclass
class Ledger:
    updates: list[Update] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def attribute(self, arrivals: list[tuple[float, str]]) -> None:
        """Each reply that reached the fake API belongs to the person's latest update offered
        before it, and to that update's latest attempt (a person waits for an answer)."""
        by_key: dict[str, list[Update]] = defaultdict(list)
        for update in self.updates:
            if update.attempts:
                by_key[update.key].append(update)
        starts = {key: [u.attempts[0].started for u in ups] for key, ups in by_key.items()}
        for when, key in arrivals:
            ups = by_key.get(key)
            if not ups:
                continue
            index = bisect.bisect_right(starts[key], when) - 1
            if index < 0:
                continue
            update = ups[index]
            attempt = max((a for a in update.attempts if a.started <= when), key=lambda a: a.started)
            attempt.api_replies += 1

    def tally(self, stored: set[str]) -> dict[str, Any]:
        offered = [u for u in self.updates if u.attempts]
        acked = [u for u in offered if u.acknowledged]
        return {
            "updates": len(offered),
            "acknowledged": len(acked),
            "stored": sum(1 for u in offered if u.external_id in stored),
            "acknowledged_then_lost": sum(1 for u in acked if u.external_id not in stored),
            "stored_never_answered": sum(1 for u in offered if u.external_id in stored and not u.answered_attempts),
            "duplicate_replies": sum(max(0, u.answered_attempts - 1) for u in offered),
            "apologies_200": sum(1 for u in offered for a in u.attempts if a.apology and 200 <= a.status < 300),
            "redelivered": sum(1 for u in offered if len(u.attempts) > 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


class Platform:
    """Posts updates like Telegram or Twilio do: again after a 5xx, 429 or no answer (every
    `retry_delay` s, until `give_up`); a 2xx or another 4xx ends it. `grace`: how long a
    person waits at the API for a reply the response did not carry (the REST path)."""

    def __init__(self, protocol: Telegram | WhatsApp, apis: ChaosApis, base_url: str, *,
                 retry_delay: float = 0.3, timeout: float = 10.0, grace: float = 0.0) -> None:
        self.protocol = protocol
        self.apis = apis
        self.base_url = base_url
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.grace = grace
        self.ledger = Ledger()
        self.session: aiohttp.ClientSession | None = None
        self.users: dict[str, User] = {}
        apis.on_reply = self._api_reply

    def _api_reply(self, key: str, params: dict[str, Any]) -> None:
        user = self.users.get(key)
        if user is not None:
            self.protocol.read_reply(user, params)

    async def __aenter__(self) -> Platform:
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None),
                                             connector=aiohttp.TCPConnector(limit=200))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()

    def user(self, index: int) -> User:
        user = self.protocol.user(index)
        self.users[user.key] = user
        return user

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        assert self.session is not None
        try:
            async with asyncio.timeout(self.timeout):
                async with self.session.post(url, data=body, headers=headers) as response:
                    return response.status, await response.read()
        except (TimeoutError, aiohttp.ClientError, OSError):
            return 0, b""

    async def turn(self, user: User, give_up: float, base_url: str | None = None) -> Update:
        """The user's next scripted update, delivered as the platform would."""
        body, headers, external_id = self.protocol.request(user)
        return await self.deliver(user, body, headers, external_id, give_up, base_url)

    async def deliver(self, user: User, body: bytes, headers: dict[str, str], external_id: str,
                      give_up: float, base_url: str | None = None) -> Update:
        update = Update(user.key, external_id)
        self.ledger.updates.append(update)
        url = (base_url or self.base_url) + self.protocol.path
        while True:
            attempt = Attempt(time.perf_counter())
            update.attempts.append(attempt)
            self.apis.awaiting.add(user.key)
            waiter = self.apis.expect(user.key) if self.grace else None
            status, content = await self.post(url, body, headers)
            attempt.status, attempt.ended = status, time.perf_counter()
            self.ledger.statuses[status] += 1
            if 200 <= status < 300:
                attempt.replied = self.protocol.read_response(user, content)
                attempt.apology = APOLOGY in content
                if waiter is not None and not attempt.replied:
                    try:
                        async with asyncio.timeout(self.grace):
                            await waiter
                    except TimeoutError:
                        pass
            if waiter is not None and not waiter.done():
                waiter.cancel()
            if 200 <= status < 300 or (400 <= status < 500 and status != 429):
                return update
            if time.perf_counter() > give_up:
                return update
            await asyncio.sleep(self.retry_delay)

    def tally(self, stored: set[str]) -> dict[str, Any]:
        self.ledger.attribute(self.apis.arrivals)
        return self.ledger.tally(stored)
