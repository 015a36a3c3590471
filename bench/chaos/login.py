"""8 clients hammering the admin's login with unknown accounts while one person chats on the
Telegram webhook. Quiet and attacked windows alternate (the machine's other load falls on
both alike); the attackers run in a process of their own so their CPU is not the server's.
Figure: webhook p99 attacked / quiet (target: within 2x)."""

from __future__ import annotations

import asyncio
import multiprocessing
import re
import time
from pathlib import Path
from typing import Any

from bench.chaos.harness import ChaosApis, serving
from bench.chaos.ledger import Platform
from bench.common import percentile
from bench.people import Telegram
from bot.web.admin.site import LOGIN_COOKIE


def hammer(url: str, seconds: float, clients: int, on: Any, tries: Any) -> None:
    """`clients` attackers trying unknown logins as fast as they are answered while `on` is set
    (run it in a process of its own: their CPU must not count against the server's latency).
    `tries` counts the tries answered after the password check or the throttle (a 400; a form
    refused before the check is a 403). tests/channels/test_login_latency.py runs it too."""
    import aiohttp

    async def one(n: int) -> None:
        # The login form's cookie is sent back by hand, as a script would: a client's cookie jar
        # keeps no cookie marked Secure on plain http (the bench's server says it is https), nor
        # any for an address like 127.0.0.1; without it every try was refused before the password
        # check (a form expired), which is not what a guesser gets.
        jar = aiohttp.DummyCookieJar()
        async with aiohttp.ClientSession(base_url=url, timeout=aiohttp.ClientTimeout(total=30), cookie_jar=jar) as http:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if not on.is_set():
                    await asyncio.sleep(0.01)
                    continue
                try:
                    async with http.get("/admin/login") as page:
                        found = re.search(r'name="csrf" value="([^"]+)"', await page.text())
                        token = page.cookies.get(LOGIN_COOKIE)
                    async with http.post("/admin/login", data={
                        "login": f"nobody{n}", "password": "guess", "csrf": found.group(1) if found else "",
                    }, headers={"Cookie": f"{LOGIN_COOKIE}={token.value}"} if token else None) as answer:
                        await answer.read()
                    if answer.status == 400:
                        with tries.get_lock():
                            tries.value += 1
                except (aiohttp.ClientError, TimeoutError):
                    await asyncio.sleep(0.05)

    async def main() -> None:
        await asyncio.gather(*(one(n) for n in range(clients)))

    asyncio.run(main())


async def webhook_timings(platform: Platform, count: int) -> list[float]:
    user = platform.users.get("6000000000") or platform.user(0)
    timings = []
    for _ in range(count):
        body, headers, _ = platform.protocol.request(user)
        started = time.perf_counter()
        status, content = await platform.post(platform.base_url + platform.protocol.path, body, headers)
        timings.append((time.perf_counter() - started) * 1000)
        if 200 <= status < 300:
            platform.protocol.read_response(user, content)
    return timings


async def run(apis: ChaosApis, work: Path, *, rounds: int, per_window: int, clients: int = 8) -> dict[str, Any]:
    apis.reset()
    spawn = multiprocessing.get_context("spawn")
    on, tries = spawn.Event(), spawn.Value("i", 0)
    quiet: list[float] = []
    loud: list[float] = []
    async with serving("sqlite", apis, work) as (server, _url):
        attackers = spawn.Process(target=hammer, args=(server.url, 600.0, clients, on, tries), daemon=True)
        try:
            async with Platform(Telegram(), apis, server.url) as platform:
                await webhook_timings(platform, 10)   # caches warm
                attackers.start()
                await asyncio.sleep(1.5)               # the attackers' process is up
                for _ in range(rounds):
                    quiet += await webhook_timings(platform, per_window)
                    on.set()
                    await asyncio.sleep(0.2)
                    loud += await webhook_timings(platform, per_window)
                    on.clear()
                    await asyncio.sleep(0.2)
        finally:
            if attackers.pid is not None:
                attackers.terminate()
                attackers.join(5)
    p99_quiet, p99_loud = percentile(quiet, 0.99), percentile(loud, 0.99)
    return {
        "scenario": "login", "backend": "sqlite", "clients": clients, "login_tries": tries.value,
        "webhook_p50_quiet_ms": round(percentile(quiet, 0.5), 1), "webhook_p99_quiet_ms": round(p99_quiet, 1),
        "webhook_p50_attacked_ms": round(percentile(loud, 0.5), 1), "webhook_p99_attacked_ms": round(p99_loud, 1),
        "p99_ratio": round(p99_loud / p99_quiet, 2) if p99_quiet else None,
    }
