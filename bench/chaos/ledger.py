"""The ledger of what the platform offered and what came back: every update, its attempts (a
platform posts again after a 5xx, a 429 or no answer), the replies each attempt carried in its
response or caused at the fake API, and from that, against the message ids the database
recorded, the three figures that matter:

- acknowledged then lost: an update answered 2xx whose turn is not stored;
- stored, never answered: a stored turn whose reply never reached the user, however long the
  ledger waited after the load (`settle`: until every stored turn is answered, at most that
  long); those answered more than LATE s after the platform's last post are "answered late";
- duplicate replies: a message that reached the user a second time for the same update.

A reply at the fake API belongs to the update the server recorded it for (its platform id in
outbound_messages, listed in the turn's stored answer); one the server did not record (a send
cut off, or one whose record failed) to the person's latest update offered before it: it left
while the person waited for that update's answer. A message sent again for an update (a cut
send resent although the platform had it) is then the same message twice for that update. Every turn the scripts play answers
something, so a stored turn with no reply is a lost one."""

from __future__ import annotations

import asyncio
import bisect
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.chaos.harness import Arrival, ChaosApis
from bench.common import processed_ids, reply_owners
from bench.people import Telegram, User, WhatsApp

# The apology of a failed turn (dialogs/system.yaml, messages.error, Spanish).
APOLOGY = "algo falló".encode()
# A reply that reached the person more than this after the platform's last post was answered
# came late (a later try of the outbox, a send cut off and looked for at the platform).
LATE = 5.0


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
    deliveries: list[Arrival] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return any(200 <= a.status < 300 for a in self.attempts)

    @property
    def answered_attempts(self) -> int:
        return sum(1 for a in self.attempts if a.replied or a.api_replies)

    @property
    def answered_at(self) -> float | None:
        moments = [a.ended for a in self.attempts if a.replied] + [d.when for d in self.deliveries]
        return min(moments) if moments else None

    @property
    def copies(self) -> int:
        """Messages that reached the person a second (third...) time for this update."""
        extra = sum(n - 1 for n in Counter(d.content for d in self.deliveries).values())
        return extra + max(0, sum(1 for a in self.attempts if a.replied) - 1)


@dataclass
class Ledger:
    updates: list[Update] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def attribute(self, arrivals: list[Arrival], owners: dict[str, str] | None = None) -> None:
        """Each reply that reached the fake API belongs to the update the server recorded it
        for (`owners`: platform id -> inbound message id), else to the person's latest update
        offered before it; and to that update's latest attempt begun before it (a person
        waits for an answer). Attributes afresh each time."""
        by_key: dict[str, list[Update]] = defaultdict(list)
        by_id: dict[str, Update] = {}
        for update in self.updates:
            update.deliveries = []
            for attempt in update.attempts:
                attempt.api_replies = 0
            if update.attempts:
                by_key[update.key].append(update)
                by_id[update.external_id] = update
        starts = {key: [u.attempts[0].started for u in ups] for key, ups in by_key.items()}
        for arrival in arrivals:
            update = by_id.get((owners or {}).get(arrival.external_id, ""))
            if update is None or update.key != arrival.key:
                # Not recorded (its sender died, or writing it down failed): it went while the
                # person waited for the update it answered, the latest one offered before it.
                ups = by_key.get(arrival.key)
                index = bisect.bisect_right(starts[arrival.key], arrival.when) - 1 if ups else -1
                if ups is None or index < 0:
                    continue
                update = ups[index]
            self._deliver(update, arrival)

    @staticmethod
    def _deliver(update: Update, arrival: Arrival) -> None:
        begun = [a for a in update.attempts if a.started <= arrival.when] or update.attempts[:1]
        max(begun, key=lambda a: a.started).api_replies += 1
        update.deliveries.append(arrival)

    def tally(self, stored: set[str]) -> dict[str, Any]:
        offered = [u for u in self.updates if u.attempts]
        acked = [u for u in offered if u.acknowledged]
        answered = [u for u in offered if u.external_id in stored and u.answered_at is not None]
        late = [u.answered_at - u.attempts[-1].ended for u in answered  # type: ignore[operator]
                if u.answered_at > u.attempts[-1].ended + LATE]  # type: ignore[operator]
        return {
            "updates": len(offered),
            "acknowledged": len(acked),
            "stored": sum(1 for u in offered if u.external_id in stored),
            "acknowledged_then_lost": sum(1 for u in acked if u.external_id not in stored),
            "stored_never_answered": sum(1 for u in offered if u.external_id in stored and u.answered_at is None),
            "answered_late": len(late),
            "latest_s": round(max(late), 1) if late else 0.0,
            "duplicate_replies": sum(u.copies for u in offered),
            # A turn's messages can reach the person over two attempts (the first ones before a
            # failure, the rest on the redelivery): not a duplicate, shown for reading the figures.
            "answered_over_attempts": sum(1 for u in offered if u.answered_attempts > 1),
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
        self.owners: dict[str, str] = {}
        self.settled_s = 0.0
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

    async def settle(self, url: str, channel: str, seconds: float) -> None:
        """After the load: wait until every stored update has been answered (a late reply is
        one the outbox tried again, or a send cut off and looked for at the platform), at most
        `seconds`."""
        began = time.perf_counter()
        while True:
            stored = set(await asyncio.to_thread(processed_ids, url, channel))
            self.owners = await asyncio.to_thread(reply_owners, url, channel)
            self.ledger.attribute(self.apis.arrivals, self.owners)
            waiting = [u for u in self.ledger.updates if u.external_id in stored and u.answered_at is None]
            self.settled_s = round(time.perf_counter() - began, 1)
            if not waiting or time.perf_counter() - began > seconds:
                return
            await asyncio.sleep(1.0)

    def tally(self, stored: set[str]) -> dict[str, Any]:
        self.ledger.attribute(self.apis.arrivals, self.owners)
        return {**self.ledger.tally(stored), "waited_after_load_s": self.settled_s}
