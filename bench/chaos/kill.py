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
from pathlib import Path
from typing import Any

from bench.chaos.harness import (
    REST_PATH_ENV, ChaosApis, PrivatePostgres, fresh_database, kill9, puente, start,
)
from bench.chaos.ledger import Platform
from bench.common import processed_ids
from bench.loadgen import PROTOCOLS, User

PATHS = {"webhook": "telegram", "rest": "whatsapp"}


async def people(platform: Platform, users: list[User], stop: float, give_up: float) -> None:
    """Each person sends the next scripted message once the previous one was answered (2xx)."""

    async def one(user: User) -> None:
        while time.perf_counter() < stop:
            await platform.turn(user, give_up)

    await asyncio.gather(*(one(u) for u in users))


async def run(backend: str, path: str, apis: ChaosApis, work: Path, pg: PrivatePostgres | None, *,
              seconds: float, kills: int, users: int, twilio_delay: float = 0.3) -> dict[str, Any]:
    channel = PATHS[path]
    apis.reset()
    env = dict(REST_PATH_ENV) if path == "rest" else {}
    if path == "rest":
        apis.twilio_delay = twilio_delay
    with fresh_database(backend, work, pg) as url:
        server = await start(puente(url, apis, **env), work)
        restarts: list[float] = []
        try:
            platform = Platform(PROTOCOLS[channel](), apis, server.url, grace=1.5 if path == "rest" else 0.0)
            async with platform:
                crowd = [platform.user(i) for i in range(users)]
                began = time.perf_counter()
                stop = began + seconds
                load = asyncio.create_task(people(platform, crowd, stop, give_up=stop + 30.0))
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
                await load
                await asyncio.sleep(2.0 if path == "rest" else 0.2)   # late replies at the API
            stored = set(await asyncio.to_thread(processed_ids, url, channel))
        finally:
            await asyncio.to_thread(server.stop)
    figures = platform.tally(stored)
    return {"scenario": "kill", "backend": backend, "path": path, "kills": kills, "restart_s": restarts,
            **figures}
