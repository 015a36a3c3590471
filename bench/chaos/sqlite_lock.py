"""Another process holds SQLite's write lock (BEGIN IMMEDIATE, e.g. a staff command or a
backup) for `hold` seconds while a person writes on the webhook. The turn must wait (or be
answered 503), but the server must not freeze: /healthz and other requests keep answering.
Figure: the longest /healthz answer while the lock is held."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.chaos.harness import ChaosApis, serving
from bench.chaos.ledger import Platform
from bench.people import Telegram


def hold_write_lock(path: str, hold: float, taken: Any) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        conn.execute("BEGIN IMMEDIATE")
        taken()
        time.sleep(hold)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


async def run(apis: ChaosApis, work: Path, *, hold: float) -> dict[str, Any]:
    apis.reset()
    healthz: list[float] = []
    async with serving("sqlite", apis, work) as (server, url), \
            Platform(Telegram(), apis, server.url, timeout=hold + 30) as platform:
        user = platform.user(0)
        await platform.turn(user, give_up=0)          # the person exists, caches warm
        loop = asyncio.get_running_loop()
        taken = asyncio.Event()
        holder = asyncio.create_task(asyncio.to_thread(
            hold_write_lock, url.removeprefix("sqlite:///"), hold, lambda: loop.call_soon_threadsafe(taken.set)))
        await taken.wait()
        locked_at = time.perf_counter()
        turn = asyncio.create_task(platform.turn(user, give_up=0))
        await asyncio.sleep(0.1)
        while not holder.done():
            started = time.perf_counter()
            await _get(platform, server.url + "/healthz")
            healthz.append(time.perf_counter() - started)
            await asyncio.sleep(0.1)
        await holder
        update = await turn
        turn_seconds = update.attempts[-1].ended - locked_at
    return {
        "scenario": "sqlite_lock", "backend": "sqlite", "hold_s": hold,
        "healthz_longest_s": round(max(healthz, default=0.0), 2), "healthz_asked": len(healthz),
        "turn_status": update.attempts[-1].status, "turn_waited_s": round(turn_seconds, 2),
    }


async def _get(platform: Platform, url: str) -> tuple[int, bytes]:
    import aiohttp

    assert platform.session is not None
    try:
        async with platform.session.get(url, timeout=aiohttp.ClientTimeout(total=60)) as answer:
            return answer.status, await answer.read()
    except (aiohttp.ClientError, TimeoutError, OSError):
        return 0, b""
