"""kill -9 of the server mid-load, restarted on the same port while the platform keeps posting
again what was not answered 2xx. Two reply paths:

- webhook: Telegram, the last reply rides in the webhook's response (the others by the API);
- rest: WhatsApp with quick replies and lists configured, so every reply with choices goes
  through Twilio's REST API, here a slow Twilio (`twilio_delay` s a message); each kill
  lands while Twilio holds the first message of a turn.

Figures (bench/chaos/ledger.py): acknowledged-then-lost turns, stored-but-never-answered
turns, duplicate replies, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bench.chaos.harness import REST_PATH_ENV, ChaosApis, PrivatePostgres, kill9, serving, start
from bench.chaos.ledger import Platform
from bench.common import Served, cut_sends, processed_ids
from bench.people import PROTOCOLS, User

PATHS = {"webhook": "telegram", "rest": "whatsapp"}


async def people(platform: Platform, users: list[User], stop: float, give_up: float) -> None:
    """Each person sends the next scripted message once the previous one was answered (2xx)."""

    async def one(user: User) -> None:
        while time.perf_counter() < stop:
            await platform.turn(user, give_up)

    await asyncio.gather(*(one(u) for u in users))


def prepare(path: str, apis: ChaosApis, twilio_delay: float) -> dict[str, str]:
    """The fake platforms made ready for a reply path; the server's extra settings for it."""
    apis.reset()
    if path != "rest":
        return {}
    apis.twilio_delay = twilio_delay
    return dict(REST_PATH_ENV)


# How long the ledger waits after the load for stored turns still unanswered (it stops as soon
# as none is): a send cut off by a kill is looked for at Twilio at the restarted server's next
# sweep (every 10 s: the killed process is gone, db/claimants.py), or 45 s after it began when
# the sender was on another machine (bot/conversation/outbox.py, REPLY_LEASE).
SETTLE = 90.0


@contextlib.asynccontextmanager
async def chatting(path: str, apis: ChaosApis, server: Served, url: str, *, seconds: float, users: int,
                   settle: float = SETTLE) -> AsyncIterator[tuple[Platform, float]]:
    """`users` people chatting on the path's channel for `seconds`: yields the platform and when
    they began; at the end, waits for them, then for the replies of stored turns still on their
    way (at most `settle` s)."""
    platform = Platform(PROTOCOLS[PATHS[path]](), apis, server.url, grace=1.5 if path == "rest" else 0.0)
    async with platform:
        crowd = [platform.user(i) for i in range(users)]
        began = time.perf_counter()
        load = asyncio.create_task(people(platform, crowd, began + seconds, give_up=began + seconds + 30.0))
        yield platform, began
        await load
        await platform.settle(url, PATHS[path], settle)


async def run(backend: str, path: str, apis: ChaosApis, work: Path, pg: PrivatePostgres | None, *,
              seconds: float, kills: int, users: int, twilio_delay: float = 0.3,
              settle: float = SETTLE) -> dict[str, Any]:
    restarts: list[float] = []
    async with serving(backend, apis, work, pg, **prepare(path, apis, twilio_delay)) as (server, url):
        async with chatting(path, apis, server, url, seconds=seconds, users=users, settle=settle) as (
                platform, began):
            for k in range(kills):
                await asyncio.sleep(max(0.0, began + seconds * (k + 1) / (kills + 1) - time.perf_counter()))
                if path == "rest":
                    # Mid-send: Twilio holds the first message of a turn already stored.
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(apis.sending.wait(), 5.0)
                kill9(server)
                down = time.perf_counter()
                await start(server, work)
                restarts.append(round(time.perf_counter() - down, 1))
        stored = set(await asyncio.to_thread(processed_ids, url, PATHS[path]))
        cut = await asyncio.to_thread(cut_sends, url)
    figures = platform.tally(stored)
    return {"scenario": "kill", "backend": backend, "path": path, "kills": kills, "restart_s": restarts,
            "sends_cut_by_the_kill": cut, **figures}
