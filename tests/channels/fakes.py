"""A fake Telegram Bot API and a fake Twilio REST API on loopback: real HTTP, the platforms'
request and answer shapes, their validation errors, and failures on demand. They record what
they received so tests can check what a user would have seen."""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.fake_apis import listed
from tests.support.serving import ServerThread  # noqa: F401 - imported from here by the channel tests

BOT_TOKEN = "7000000001:AAH-fake-token-for-tests_0123456789"
ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
WHATSAPP_FROM = "whatsapp:+14155238886"

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass
class Call:
    """One request a platform received: a Bot API method or a Twilio message."""

    method: str
    params: dict[str, Any]
    # "api" for an HTTP request, "webhook" for a method returned in a webhook's response,
    # "twiml" for a <Message> in a TwiML response.
    via: str = "api"
    answer: int = 200


@dataclass
class Failure:
    status: int
    times: int
    retry_after: int | None = None
    description: str = ""
    code: int | None = None
    match: Mapping[str, str] = field(default_factory=dict)


class FakePlatforms:
    """Both platforms in one Starlette app (different paths, like two hosts behind one URL)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self.commands: dict[str, list[dict[str, str]]] = {}
        self._ids = itertools.count(5001)
        self._lock = threading.Lock()
        # Method -> (messages per second, times of the calls accepted within the last second).
        self.rate_limits: dict[str, tuple[int, list[float]]] = {}
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self.bot_api, methods=["POST", "GET"]),
            Route("/2010-04-01/Accounts/{sid}/Messages.json", self.twilio_messages, methods=["POST"]),
            Route("/2010-04-01/Accounts/{sid}/Messages.json", self.twilio_list, methods=["GET"]),
        ])
        # The messages Twilio took, oldest first, as its list shows them (sent a moment later).
        self.twilio_taken: list[dict[str, Any]] = []

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.twilio_taken.clear()
            self.failures.clear()
            self.updates.clear()
            self.webhook.clear()
            self.commands.clear()
            self.rate_limits.clear()

    # -- what tests arrange --------------------------------------------------------------------

    def fail(self, method: str, status: int, *, times: int = 1, retry_after: int | None = None,
             description: str = "", code: int | None = None, **match: str) -> None:
        """The next `times` calls of `method` (optionally only those whose params match) fail."""
        self.failures.setdefault(method, []).append(
            Failure(status, times, retry_after, description, code, match)
        )

    def limit(self, method: str, per_second: int) -> None:
        """Like the platforms' flood control: above `per_second` calls of `method` within any
        0.95 s, answer 429 (retry after 1 s). (A pace of N a second lets N go as a second ends
        and N more as the next begins; a few milliseconds on the way must not count as more.)"""
        self.rate_limits[method] = (per_second, [])

    def _over_rate(self, method: str) -> bool:
        if method not in self.rate_limits:
            return False
        per_second, recent = self.rate_limits[method]
        with self._lock:
            now = time.monotonic()
            recent[:] = [t for t in recent if t > now - 0.95]
            if len(recent) >= per_second:
                return True
            recent.append(now)
            return False

    def _failure(self, method: str, params: Mapping[str, Any]) -> Failure | None:
        for failure in self.failures.get(method, []):
            if failure.times > 0 and all(str(params.get(k)) == v for k, v in failure.match.items()):
                failure.times -= 1
                return failure
        return None

    # -- what tests read -----------------------------------------------------------------------

    def sent(self, method: str = "sendMessage", **match: Any) -> list[Call]:
        with self._lock:
            return [
                c for c in self.calls
                if c.method == method and c.answer < 300
                and all(str(c.params.get(k)) == str(v) for k, v in match.items())
            ]

    def wait_for(self, method: str, count: int = 1, *, seconds: float = 5.0) -> list[Call]:
        """Calls the app makes after answering the webhook (answerCallbackQuery) arrive a moment
        later: wait until `count` attempts of `method` came, or fail after `seconds`."""
        deadline = time.monotonic() + seconds
        while len(found := self.attempts(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{method}: {len(found)} calls after {seconds} s, expected {count}")
            time.sleep(0.01)
        return found

    def attempts(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    # -- Telegram Bot API ----------------------------------------------------------------------

    async def bot_api(self, request: Request) -> Response:
        if request.path_params["token"] != BOT_TOKEN:
            return _tg_error(401, "Unauthorized")
        method = request.path_params["method"]
        raw = (await request.body()).decode("utf-8")
        kind = request.headers.get("content-type", "")
        params = json.loads(raw) if kind.startswith("application/json") else dict(parse_qsl(raw))
        return self.telegram_call(method, params, via="api")

    def telegram_call(self, method: str, params: dict[str, Any], via: str) -> Response:
        """Validate and run one Bot API call (also used for methods in webhook responses)."""
        params = {k: _json_field(v) for k, v in params.items()}
        if isinstance(params.get("chat_id"), str) and params["chat_id"].lstrip("-").isdigit():
            params["chat_id"] = int(params["chat_id"])  # form fields are text; JSON bodies have numbers
        if via == "api" and self._over_rate(method):
            failure: Failure | None = Failure(429, 1, retry_after=1, description="Too Many Requests: retry after 1")
        else:
            failure = self._failure(method, params)
        if failure is not None:
            self._record(Call(method, params, via, failure.status))
            parameters = {"retry_after": failure.retry_after} if failure.retry_after else None
            return _tg_error(failure.status, failure.description or _TG_PHRASES.get(failure.status, "Error"), parameters)
        problem = _TG_CHECKS.get(method, _unknown_method)(params)
        if problem:
            self._record(Call(method, params, via, 400))
            return _tg_error(400, f"Bad Request: {problem}")
        result: Any = True
        if method == "sendMessage":
            result = {
                "message_id": next(self._ids), "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Test"},
                "from": {"id": 7000000001, "is_bot": True, "first_name": "Puente", "username": "PuenteMxBot"},
                "text": params["text"],
            }
            if "reply_markup" in params:
                result["reply_markup"] = params["reply_markup"]
        elif method == "getUpdates":
            offset = int(params.get("offset") or 0)
            with self._lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                result = list(self.updates)
        elif method == "setWebhook":
            self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        elif method == "deleteWebhook":
            self.webhook = {}
        elif method == "getWebhookInfo":
            result = {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                      "pending_update_count": len(self.updates)}
        elif method == "setMyCommands":
            self.commands[params.get("language_code") or ""] = params["commands"]
        elif method == "getMe":
            result = {"id": 7000000001, "is_bot": True, "first_name": "Puente", "username": "PuenteMxBot"}
        self._record(Call(method, params, via))
        return JSONResponse({"ok": True, "result": result})

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    # -- Twilio REST API -----------------------------------------------------------------------

    async def twilio_messages(self, request: Request) -> Response:
        if request.path_params["sid"] != ACCOUNT_SID or not _basic_auth_ok(request):
            return _twilio_error(401, 20003, "Authenticate")
        params = dict(parse_qsl((await request.body()).decode("utf-8")))
        if self._over_rate("Messages"):
            failure: Failure | None = Failure(429, 1, retry_after=1, code=20429, description="Too Many Requests")
        else:
            failure = self._failure("Messages", params)
        if failure is not None:
            self._record(Call("Messages", params, "api", failure.status))
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else None
            return _twilio_error(failure.status, failure.code or failure.status, failure.description or "Error", headers)
        problem = _check_twilio_message(params)
        if problem:
            self._record(Call("Messages", params, "api", 400))
            return _twilio_error(400, problem[0], problem[1])
        sid = "SM" + f"{next(self._ids):032x}"
        self._record(Call("Messages", {**params, "Sid": sid}, "api", 201))
        message = _twilio_message(sid, params)
        with self._lock:
            self.twilio_taken.append({**message, "status": "sent", "date_sent": message["date_created"]})
        return JSONResponse(message, status_code=201)

    async def twilio_list(self, request: Request) -> Response:
        """GET Messages.json: the messages taken, newest first, filtered by To, From and DateSent
        as Twilio does (bench.fake_apis.listed), one page of PageSize."""
        if request.path_params["sid"] != ACCOUNT_SID or not _basic_auth_ok(request):
            return _twilio_error(401, 20003, "Authenticate")
        failure = self._failure("Messages.list", dict(request.query_params))
        if failure is not None:
            return _twilio_error(failure.status, failure.code or failure.status, failure.description or "Error")
        self._record(Call("Messages.list", dict(request.query_params), "api", 200))
        size = min(1000, int(request.query_params.get("PageSize", "50")))
        with self._lock:
            found = [m for m in reversed(self.twilio_taken) if listed(m, request.query_params)][:size]
        uri = request.url.path
        return JSONResponse({
            "messages": found, "end": max(0, len(found) - 1), "first_page_uri": f"{uri}?PageSize={size}&Page=0",
            "next_page_uri": None, "page": 0, "page_size": size, "previous_page_uri": None, "start": 0,
            "uri": f"{uri}?PageSize={size}&Page=0",
        })

    def twiml(self, to: str, bodies: list[str]) -> None:
        """Messages a TwiML response asked Twilio to send."""
        for body in bodies:
            problem = "" if 0 < len(body) <= 1600 else "21617: The concatenated message body exceeds 1600 characters"
            self._record(Call("Messages", {"To": to, "From": WHATSAPP_FROM, "Body": body}, "twiml", 400 if problem else 201))


# -- Telegram checks, as the real Bot API answers them -----------------------------------------

_TG_PHRASES = {429: "Too Many Requests: retry after", 403: "Forbidden: bot was blocked by the user",
               500: "Internal Server Error", 502: "Bad Gateway"}


def _json_field(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_send_message(p: dict[str, Any]) -> str:
    if "chat_id" not in p:
        return "chat_id is empty"
    text = p.get("text")
    if not isinstance(text, str) or not text.strip():
        return "message text is empty"
    if _utf16(text) > 4096:
        return "message is too long"
    markup = p.get("reply_markup")
    if markup is not None:
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if not isinstance(rows, list):
            return "can't parse reply keyboard markup JSON object"
        for row in rows:
            for button in row:
                data = button.get("callback_data", "")
                if not button.get("text"):
                    return "text buttons are unallowed in the inline keyboard"
                if not 1 <= len(data.encode("utf-8")) <= 64:
                    return "BUTTON_DATA_INVALID"
    return ""


def _check_answer_callback(p: dict[str, Any]) -> str:
    return "" if p.get("callback_query_id") else "query is too old and response timeout expired or query ID is invalid"


def _check_set_commands(p: dict[str, Any]) -> str:
    commands = p.get("commands")
    if not isinstance(commands, list) or not commands:
        return "commands must be a non-empty list"
    for command in commands:
        if not _COMMAND.fullmatch(command.get("command", "")):
            return "BOT_COMMAND_INVALID"
        if not 1 <= len(command.get("description", "")) <= 256:
            return "BOT_COMMAND_DESCRIPTION_INVALID"
    language = p.get("language_code")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        return "invalid language code"
    return ""


def _check_set_webhook(p: dict[str, Any]) -> str:
    url = p.get("url", "")
    if not url.startswith("https://"):
        return "bad webhook: An HTTPS URL must be provided for webhook"
    secret = p.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        return "secret token contains unallowed characters"
    return ""


def _unknown_method(p: dict[str, Any]) -> str:
    return "method not found"


_TG_CHECKS = {
    "sendMessage": _check_send_message,
    "answerCallbackQuery": _check_answer_callback,
    "setMyCommands": _check_set_commands,
    "setWebhook": _check_set_webhook,
    "deleteWebhook": lambda p: "",
    "getWebhookInfo": lambda p: "",
    "getUpdates": lambda p: "",
    "getMe": lambda p: "",
}


def _tg_error(status: int, description: str, parameters: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=status)


# -- Twilio checks ---------------------------------------------------------------------------------

def _basic_auth_ok(request: Request) -> bool:
    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return False
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user == ACCOUNT_SID and password == AUTH_TOKEN


def _check_twilio_message(p: dict[str, str]) -> tuple[int, str] | None:
    if not p.get("To", "").startswith("whatsapp:+"):
        return 21211, "Invalid 'To' Phone Number"
    if p.get("From") != WHATSAPP_FROM:
        return 63007, "Twilio could not find a Channel with the specified From address"
    if "ContentSid" in p:
        if not p["ContentSid"].startswith("HX"):
            return 21656, "The ContentSid is Invalid."
        variables = p.get("ContentVariables")
        if variables is not None:
            try:
                parsed = json.loads(variables)
            except ValueError:
                return 21656, "The ContentVariables Parameter is invalid."
            if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
                return 21656, "The ContentVariables Parameter is invalid."
        return None
    body = p.get("Body", "")
    if not body:
        return 21602, "Message body is required."
    if len(body) > 1600:
        return 21617, "The concatenated message body exceeds the 1600 character limit."
    return None


def _twilio_message(sid: str, p: dict[str, str]) -> dict[str, Any]:
    now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    body = p.get("Body", "")
    if not body and p.get("ContentVariables"):  # what Twilio rendered: here the variables, one a line
        body = "\n".join(str(v) for v in json.loads(p["ContentVariables"]).values())
    return {
        "account_sid": ACCOUNT_SID, "api_version": "2010-04-01", "body": body,
        "date_created": now, "date_sent": None, "date_updated": now, "direction": "outbound-api",
        "error_code": None, "error_message": None, "from": p.get("From"), "messaging_service_sid": None,
        "num_media": "0", "num_segments": "1", "price": None, "price_unit": "USD", "sid": sid,
        "status": "queued", "subresource_uris": {}, "to": p.get("To"),
        "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
    }


def _twilio_error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    return JSONResponse(body, status_code=status, headers=headers)
