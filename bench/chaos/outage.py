"""PostgreSQL goes away under load, on the private throwaway server only:

- outage: the server is stopped (pg_ctl stop -m immediate, like a crash) for a few seconds
  mid-load and started again; the admin's login page is asked while it is down (a plain 503,
  not a traceback);
- connections killed mid-turn: pg_terminate_backend on every connection of the bot's database,
  again and again, while the load runs; a turn that lost its connection inside an action and
  was answered 200 with the apology is a 200-but-lost turn.

Both on the webhook path (Telegram) and the REST path (WhatsApp with a slow Twilio)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.chaos.harness import ChaosApis, PrivatePostgres, database_name, serving
from bench.chaos.kill import PATHS, chatting, prepare
from bench.common import processed_ids


def _login_status(base_url: str) -> int:
    """The status of a login try (the page, then the form with its CSRF token): it needs the
    database, so while it is down a plain 503 page is expected, not a 500."""
    import re

    import httpx

    try:
        with httpx.Client(base_url=base_url, timeout=10) as http:
            page = http.get("/admin/login")
            token = re.search(r'name="csrf" value="([^"]+)"', page.text)
            # The cookies are Secure (PUBLIC_URL is https): sent by hand over loopback's http.
            cookies = "; ".join(c.split(";", 1)[0] for c in page.headers.get_list("set-cookie"))
            answer = http.post("/admin/login", headers={"Cookie": cookies}, data={
                "login": "nobody", "password": "guess", "csrf": token.group(1) if token else ""})
            return answer.status_code if page.status_code == 200 else page.status_code
    except httpx.HTTPError:
        return 0


async def run(kind: str, path: str, apis: ChaosApis, work: Path, pg: PrivatePostgres, *,
              seconds: float, users: int, down: float = 3.0, every: float = 0.25,
              twilio_delay: float = 0.2) -> dict[str, Any]:
    """`kind`: "outage" or "connections"."""
    admin: Counter[int] = Counter()
    killed = 0
    try:
        async with serving("postgresql", apis, work, pg, **prepare(path, apis, twilio_delay)) as (server, url):
            async with chatting(path, apis, server, url, seconds=seconds, users=users) as (platform, began):
                if kind == "outage":
                    await asyncio.sleep(seconds / 3)
                    await asyncio.to_thread(pg.stop, "immediate")
                    gone = time.perf_counter()
                    while time.perf_counter() - gone < down:
                        admin[await asyncio.to_thread(_login_status, server.url)] += 1
                        await asyncio.sleep(0.3)
                    await asyncio.to_thread(pg.start)
                else:
                    name = database_name(url)
                    while time.perf_counter() < began + seconds:
                        await asyncio.sleep(every)
                        killed += await asyncio.to_thread(pg.terminate_backends, name)
            stored = set(await asyncio.to_thread(processed_ids, url, PATHS[path]))
    finally:
        if not pg.running:
            await asyncio.to_thread(pg.start)
    figures = platform.tally(stored)
    result: dict[str, Any] = {"scenario": kind, "backend": "postgresql", "path": path, **figures}
    if kind == "outage":
        result["down_s"] = down
        result["admin_while_down"] = {str(k): v for k, v in sorted(admin.items()) if v}
    else:
        result["connections_killed"] = killed
    return result
