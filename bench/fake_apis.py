"""The fake platform APIs the server under test sends its replies to (Telegram Bot API, Twilio
Messages), on loopback, in the load generator's process: they count calls and tell the load
generator when a reply for a user arrived."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bench.common import BOT_TOKEN


class FakeApis:
    """Telegram Bot API and Twilio Messages on one aiohttp server: counts calls and tells the
    load generator when a reply for a user arrived."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.waiters: dict[str, deque[asyncio.Future[dict[str, Any]]]] = defaultdict(deque)
        self.on_reply: Callable[[str, dict[str, Any]], None] | None = None
        self._ids = iter(range(1, 2_000_000_000))
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self.bot_api)
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self.twilio)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def expect(self, key: str) -> asyncio.Future[dict[str, Any]]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiters[key].append(future)
        return future

    def _arrived(self, key: str, params: dict[str, Any]) -> None:
        if self.on_reply is not None:
            self.on_reply(key, params)
        waiting = self.waiters.get(key)
        while waiting:
            future = waiting.popleft()
            if not future.done():
                future.set_result(params)
                break
        if waiting is not None and not waiting:
            self.waiters.pop(key, None)

    async def bot_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != BOT_TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        raw = await request.read()
        if request.content_type == "application/json":
            params = json.loads(raw or b"{}")
        else:
            params = dict(parse_qsl(raw.decode()))
            if request.content_type.startswith("multipart"):
                params = dict(await request.post())  # type: ignore[arg-type]
        self.calls[method] += 1
        result: Any = True
        if method == "sendMessage":
            chat = int(params.get("chat_id", 0))
            result = {"message_id": next(self._ids), "date": int(time.time()),
                      "chat": {"id": chat, "type": "private", "first_name": "Bench"},
                      "from": {"id": 7000000001, "is_bot": True, "first_name": "Puente"},
                      "text": params.get("text", "")}
            self._arrived(str(chat), params)
        elif method == "getMe":
            result = {"id": 7000000001, "is_bot": True, "first_name": "Puente", "username": "PuenteBenchBot"}
        return web.json_response({"ok": True, "result": result})

    async def twilio(self, request: web.Request) -> web.Response:
        params = dict(parse_qsl((await request.read()).decode()))
        self.calls["Messages"] += 1
        sid = f"SM{next(self._ids):032x}"
        self._arrived(params.get("To", ""), params)
        return web.json_response({"sid": sid, "status": "queued", "to": params.get("To"),
                                  "from": params.get("From"), "body": params.get("Body", "")}, status=201)
