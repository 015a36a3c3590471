"""The fake platform APIs the server under test sends its replies to (Telegram Bot API, Twilio
Messages), on loopback, in the load generator's process: they count calls and tell the load
generator when a reply for a user arrived. Twilio's list of messages (GET Messages.json with
To, From, DateSent filters, newest first, paged) answers as the real one does: the server asks
it before sending again a message whose send was cut off."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bench.common import ACCOUNT_SID, BOT_TOKEN


class FakeApis:
    """Telegram Bot API and Twilio Messages on one aiohttp server: counts calls and tells the
    load generator when a reply for a user arrived."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.waiters: dict[str, deque[asyncio.Future[dict[str, Any]]]] = defaultdict(deque)
        self.on_reply: Callable[[str, dict[str, Any]], None] | None = None
        self._ids = iter(range(1, 2_000_000_000))
        # What Twilio accepted, oldest first (its list shows them newest first).
        self.twilio_messages: list[dict[str, Any]] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self.bot_api)
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self.twilio)
        app.router.add_get("/2010-04-01/Accounts/{sid}/Messages.json", self.twilio_list)
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
            self._arrived(str(chat), {**params, "message_id": result["message_id"]})
        elif method == "getMe":
            result = {"id": 7000000001, "is_bot": True, "first_name": "Puente", "username": "PuenteBenchBot"}
        return web.json_response({"ok": True, "result": result})

    async def twilio(self, request: web.Request) -> web.Response:
        params = dict(parse_qsl((await request.read()).decode()))
        return self.twilio_accept(params)

    def twilio_accept(self, params: dict[str, str]) -> web.Response:
        """Twilio takes a message in: kept for its list (sent a moment later), answered 201."""
        self.calls["Messages"] += 1
        sid = f"SM{next(self._ids):032x}"
        created = dt.datetime.now(dt.UTC)
        message = _twilio_message(sid, params, created)
        self.twilio_messages.append({**message, "status": "sent", "date_sent": _rfc2822(created)})
        self._arrived(params.get("To", ""), {**params, "Sid": sid})
        return web.json_response(message, status=201)

    async def twilio_list(self, request: web.Request) -> web.Response:
        """GET Messages.json: To, From, DateSent (YYYY-MM-DD or a UTC time; DateSent< and DateSent>
        for on-or-before and on-or-after), PageSize (default 50, at most 1000), Page."""
        self.calls["Messages.list"] += 1
        query = request.query
        found = [m for m in reversed(self.twilio_messages) if listed(m, query)]
        size = min(1000, max(1, int(query.get("PageSize", "50"))))
        page = max(0, int(query.get("Page", "0")))
        chosen = found[page * size:(page + 1) * size]
        uri = request.path
        first = f"{uri}?PageSize={size}&Page=0"
        more = (page + 1) * size < len(found)
        return web.json_response({
            "messages": chosen, "end": page * size + max(0, len(chosen) - 1), "first_page_uri": first,
            "next_page_uri": f"{uri}?PageSize={size}&Page={page + 1}" if more else None,
            "page": page, "page_size": size,
            "previous_page_uri": f"{uri}?PageSize={size}&Page={page - 1}" if page else None,
            "start": page * size, "uri": f"{uri}?PageSize={size}&Page={page}",
        })


def _rfc2822(moment: dt.datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def _twilio_message(sid: str, params: dict[str, str], created: dt.datetime) -> dict[str, Any]:
    """A Message resource as Twilio answers it. A template's body is what Twilio rendered: here
    the fake's templates are their variables, one a line."""
    body = params.get("Body", "")
    if not body and params.get("ContentVariables"):
        body = "\n".join(str(v) for v in json.loads(params["ContentVariables"]).values())
    now = _rfc2822(created)
    return {
        "account_sid": ACCOUNT_SID, "api_version": "2010-04-01", "body": body, "date_created": now,
        "date_sent": None, "date_updated": now, "direction": "outbound-api", "error_code": None,
        "error_message": None, "from": params.get("From"), "messaging_service_sid": None, "num_media": "0",
        "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid, "status": "queued",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}/Media.json"},
        "to": params.get("To"), "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
    }


def listed(message: dict[str, Any], query: Any) -> bool:
    """Whether Twilio's list shows `message` (a Message resource) for `query`. Twilio's filters:
    To and From exactly; DateSent on a day, or from/until a time (a message not sent yet has no
    DateSent and is left out by it)."""
    for field, key in (("to", "To"), ("from", "From")):
        if key in query and message[field] != query[key]:
            return False
    sent = message["date_sent"]
    for key in ("DateSent", "DateSent<", "DateSent>"):
        if key not in query:
            continue
        if sent is None:
            return False
        moment = dt.datetime.strptime(sent, "%a, %d %b %Y %H:%M:%S +0000").replace(tzinfo=dt.UTC)
        value = query[key]
        if len(value) == 10:  # YYYY-MM-DD: the whole day
            day = dt.date.fromisoformat(value)
            ok = {"DateSent": moment.date() == day, "DateSent<": moment.date() <= day,
                  "DateSent>": moment.date() >= day}[key]
        else:
            bound = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            ok = {"DateSent": moment == bound, "DateSent<": moment <= bound, "DateSent>": moment >= bound}[key]
        if not ok:
            return False
    return True
