"""Fuzzed payloads with a valid secret or signature: what a platform's odd update, a broken
proxy or an attacker who holds the secret could post. Each payload is a valid update with one
to three mutations (wrong types, missing fields, NUL bytes, lone surrogates, huge numbers,
nesting 1,000 deep, unknown kinds, bodies that are not JSON or not a form...). Nothing may be
answered 5xx (a 500 also resets the keep-alive connection: the next request fails too);
figures: statuses, 5xx and connection errors, and the mutations behind each 5xx."""

from __future__ import annotations

import asyncio
import copy
import json
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bench.chaos.harness import ChaosApis, PrivatePostgres, serving
from bench.chaos.ledger import Platform
from bench.common import AUTH_TOKEN, PUBLIC_URL
from bench.people import PROTOCOLS, Telegram, WhatsApp

ODD_VALUES: list[Any] = [
    None, True, 0, -1, 2**63, 10**30, -(10**30), 1e308, 1.5, "", "x", "\x00", "\ud800", "0" * 5000,
    [], [1, "a"], {}, {"id": "a"}, "١٢٣", "9" * 40,
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _set(root: Any, path: tuple[Any, ...], value: Any, *, delete: bool = False) -> None:
    for key in path[:-1]:
        root = root[key]
    if delete:
        del root[path[-1]]
    else:
        root[path[-1]] = value


def _dump(update: Any) -> bytes:
    """JSON as Telegram writes it (non-ASCII escaped: a lone surrogate stays valid JSON), nested
    values written out as text."""
    text = json.dumps(update)
    for depth in (200, 1000, 3000):
        text = text.replace(f'"__nest_{depth}__"', '{"a":' * depth + '"deep"' + "}" * depth)
    return text.encode()


# -- Telegram --------------------------------------------------------------------------------------

def telegram_mutations(rng: random.Random, update: dict[str, Any]) -> tuple[Any, list[str]]:
    """A mutated update (a dict, or bytes for bodies that are not JSON) and what was done."""
    done: list[str] = []
    for _ in range(rng.randint(1, 3)):
        paths = _paths(update) if isinstance(update, dict) else []
        kind = rng.choice(["type", "type", "delete", "date", "nul", "surrogate", "nest", "kind", "extra",
                           "text", "id", "body"])
        if not paths and kind not in ("body",):
            kind = "body"
        if kind == "type":
            path = rng.choice(paths)
            _set(update, path, copy.deepcopy(rng.choice(ODD_VALUES)))
            done.append(f"type:{path[-1]}")
        elif kind == "delete":
            path = rng.choice(paths)
            _set(update, path, None, delete=True)
            done.append(f"delete:{path[-1]}")
        elif kind == "date":
            holder = update.get("message")
            if not isinstance(holder, dict):
                query = update.get("callback_query")
                holder = query.get("message") if isinstance(query, dict) else None
            if isinstance(holder, dict):
                holder["date"] = rng.choice([10**20, -(10**12), 2**64, 1e300, "hoy"])
            done.append("date")
        elif kind in ("nul", "surrogate", "text"):
            text = {"nul": "ho\x00la", "surrogate": "hola \ud83d", "text": rng.choice(
                ["", " ", "🇲🇽" * 2000, "a" * 5000, "/start " + "x" * 300, "/start\x00", "<b>&amp;</b>", "\u202e"])}[kind]
            message = update.get("message") if isinstance(update.get("message"), dict) else None
            if message is not None:
                message["text"] = text
            else:
                query = update.get("callback_query")
                if isinstance(query, dict):
                    query["data"] = text
            done.append(kind)
        elif kind == "nest":
            # Written as text: json.dumps itself stops at about 1,000 levels.
            update[rng.choice(["message", "callback_query", "edited_message"])] = f"__nest_{rng.choice([200, 1000, 3000])}__"
            done.append("nest")
        elif kind == "kind":
            inner = update.pop("message", None) or update.pop("callback_query", None) or {}
            update[rng.choice(["edited_message", "channel_post", "my_chat_member", "inline_query", "poll",
                               "message_reaction", "chat_join_request"])] = inner
            done.append("kind")
        elif kind == "extra":
            update[rng.choice(["unknown", "message_thread_id", "via_bot"])] = rng.choice(ODD_VALUES)
            done.append("extra")
        elif kind == "id":
            update["update_id"] = rng.choice(ODD_VALUES)
            done.append("update_id")
        else:
            body = _dump(update)
            return rng.choice([body[: rng.randint(0, len(body))], b"", b"[]", b"null", b"42", b'"x"',
                               b"\xff\xfe{}", body.replace(b"{", b"[", 1), b"{" * 50_000]), [*done, "body"]
    return update, done


def telegram_payloads(count: int, seed: int = 14) -> list[tuple[bytes, dict[str, str], list[str]]]:
    rng = random.Random(seed)
    protocol = Telegram()
    crowd = [protocol.user(i) for i in range(50)]
    found = []
    for _ in range(count):
        body, headers, _ = protocol.request(rng.choice(crowd))
        mutated, done = telegram_mutations(rng, json.loads(body))
        if not isinstance(mutated, bytes):
            mutated = _dump(mutated)
        found.append((mutated, headers, done))
    return found


# -- Twilio ----------------------------------------------------------------------------------------

TWILIO_ODD = ["", "\x00", "a\x00b", "\ud800", "x" * 20_000, "-1", "99999999999999999999", "abc", "whatsapp:",
              "whatsapp:+", "whatsapp:+52\x00", "+5215512345678", "1e400", "🇲🇽", "null", "[]", "<Response/>"]
TWILIO_FIELDS = ["Body", "From", "WaId", "ProfileName", "MessageSid", "NumMedia", "MediaUrl0",
                 "MediaContentType0", "Latitude", "Longitude", "ButtonPayload", "ButtonText", "MessageType",
                 "ReferralBody", "To", "SmsStatus", "OriginalRepliedMessageSid"]


def whatsapp_payloads(count: int, seed: int = 14) -> list[tuple[bytes, dict[str, str], list[str]]]:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(AUTH_TOKEN)
    url = PUBLIC_URL + WhatsApp.path
    rng = random.Random(seed)
    protocol = WhatsApp()
    crowd = [protocol.user(i) for i in range(50)]
    found = []
    for _ in range(count):
        body, _, _ = protocol.request(rng.choice(crowd))
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        done: list[str] = []
        raw: bytes | None = None
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["set", "set", "set", "delete", "body"])
            name = rng.choice(TWILIO_FIELDS)
            if kind == "set":
                form[name] = rng.choice(TWILIO_ODD)
                done.append(f"set:{name}")
            elif kind == "delete":
                form.pop(name, None)
                done.append(f"delete:{name}")
            else:
                raw = rng.choice([b"", b"Body=%FF%FE&From=whatsapp%3A%2B5215500000000", b"\x00\x01",
                                  json.dumps(form).encode(), b"&&&==&"])
                done.append("body")
        safe = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in form.items()}
        payload = raw if raw is not None else urlencode(safe).encode()
        signed = safe
        if raw is not None:  # signed as the server will read it, when it can: past the signature
            try:
                signed = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
            except ValueError:
                pass
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": validator.compute_signature(url, signed)}
        found.append((payload, headers, done))
    return found


PAYLOADS: dict[str, Callable[[int], list[tuple[bytes, dict[str, str], list[str]]]]] = {
    "telegram": telegram_payloads, "whatsapp": whatsapp_payloads,
}


async def fire(platform: Platform, base_url: str, payloads: list[tuple[bytes, dict[str, str], list[str]]],
               connections: int = 8) -> dict[str, Any]:
    statuses: Counter[int] = Counter()
    behind_5xx: Counter[str] = Counter()
    queue: asyncio.Queue[tuple[bytes, dict[str, str], list[str]]] = asyncio.Queue()
    for item in payloads:
        queue.put_nowait(item)
    url = base_url + platform.protocol.path

    async def worker() -> None:
        while not queue.empty():
            body, headers, done = queue.get_nowait()
            status, _ = await platform.post(url, body, headers)
            statuses[status] += 1
            if status >= 500 or status == 0:
                behind_5xx.update(done)

    await asyncio.gather(*(worker() for _ in range(connections)))
    return {
        "payloads": len(payloads), "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "5xx": sum(v for k, v in statuses.items() if k >= 500), "no_answer": statuses[0],
        "mutations_behind_5xx": dict(behind_5xx.most_common(8)),
    }


async def run(backend: str, apis: ChaosApis, work: Path, pg: PrivatePostgres | None, *, count: int,
              channels: tuple[str, ...] = ("telegram", "whatsapp")) -> list[dict[str, Any]]:
    apis.reset()
    results = []
    async with serving(backend, apis, work, pg) as (server, _url):
        for channel in channels:
            payloads = await asyncio.to_thread(PAYLOADS[channel], count)
            async with Platform(PROTOCOLS[channel](), apis, server.url, timeout=30.0) as platform:
                found = await fire(platform, server.url, payloads)
            alive = server.process is not None and server.process.poll() is None
            results.append({"scenario": "fuzz", "backend": backend, "channel": channel, **found,
                            "server_alive": alive})
    return results
