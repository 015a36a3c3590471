"""Two servers on two ports against one PostgreSQL (the private one), as two machines behind
one address. `routing`: "round-robin" (a person's messages alternate between them) or
"by sender" (a real HAProxy routes each WhatsApp message by its `From`, bench/chaos/balancer.py,
the platform posting everything to HAProxy's one address); one server as the baseline.

- bursts: each person sends 20 WhatsApp messages `gap` s apart without waiting for answers,
  message n to server n % 2. A turn is out of order when it committed before a message the
  person sent earlier (commit times: track_commit_timestamp on the private server).
- registrations: 5 people register at once, each one's answers a burst alternating between
  the servers (the texts learnt from a registration played first, one message at a time);
  right = the stored registration has every answer where it belongs."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import time
from pathlib import Path
from typing import Any

from bench.chaos import balancer
from bench.chaos.harness import ChaosApis, PrivatePostgres, fresh_database, puente, start
from bench.chaos.ledger import Platform
from bench.common import Served
from bench.people import WhatsApp

# tests/test_registration_privacy.py's registration: ("tap", label) picks the numbered option.
REGISTRATION: list[tuple[str, str]] = [
    ("say", "hola"), ("say", "español"), ("say", "quiero registrarme"), ("tap", "Sí, acepto"),
    *[("say", a) for a in ["Rosa María Pineda", "13/03/1992", "hondureña", "1", "BEML920313HMCLNS09",
                           "+52 1 55 9876 5432", "Tuxtla Chico, Chiapas", "3", "albañil y costurera", "4",
                           "español", "sí"]],
    ("tap", "Sí, enviar al SNE"),
]
EXPECTED = {"full_name": "Rosa María Pineda", "curp": "BEML920313HMCLNS09", "phone": "+525598765432",
            "municipality": "Tuxtla Chico", "nationality": "HN", "experience_years": 4}
_OPTION = re.compile(r"^\s*(\d+)\.\s*(.+?)\s*$", re.M)


def _message(user_key: str, sid: str, text: str) -> tuple[bytes, dict[str, str]]:
    """A signed Twilio form with this text from this person."""
    from urllib.parse import urlencode

    protocol = WhatsApp()
    form = {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Chaos", "MessageType": "text",
            "SmsSid": sid, "WaId": user_key.removeprefix("whatsapp:+"), "SmsStatus": "received", "Body": text,
            "To": "whatsapp:+14155238886", "NumSegments": "1", "MessageSid": sid,
            "AccountSid": "AC" + "0" * 31 + "7", "From": user_key, "ApiVersion": "2010-04-01"}
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": protocol.validator.compute_signature(protocol.url, form)}
    return urlencode(form).encode(), headers


def commit_order(url: str) -> dict[str, float]:
    """external id -> when its turn committed (epoch seconds)."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT external_id, extract(epoch FROM pg_xact_commit_timestamp(xmin)) "
                            "FROM processed_messages WHERE channel = 'whatsapp'").fetchall()
    return {str(sid): float(when) for sid, when in rows if when is not None}


def out_of_order(sent: list[str], committed: dict[str, float]) -> int:
    latest, count = float("-inf"), 0
    for sid in sent:
        when = committed.get(sid)
        if when is None:
            continue
        if when < latest:
            count += 1
        latest = max(latest, when)
    return count


async def burst(platform: Platform, servers: list[str], user_key: str, texts: list[str], gap: float,
                tag: str, posted: dict[str, float], ready: asyncio.Barrier | None = None) -> list[str]:
    """Post the texts `gap` s apart, message n to the URL servers[n % 2], without waiting for answers,
    as the platform does; `posted` gets when each one's request went out. Each message has a
    connection of its own to its machine, opened before the burst: a new connection per
    message would let the transport reorder them (even for one server), and one connection
    per machine made a message wait for the answer to the one before it there, so that under
    load the burst itself left out of order (docs/reliability.md). `ready`: the people's
    bursts start together once all their connections are open (the first person's messages
    used to meet the others' connections being opened, the one-server row's only disorder)."""
    import aiohttp

    trace = aiohttp.TraceConfig()

    async def headers_sent(_session: Any, context: Any, _params: Any) -> None:
        if context.trace_request_ctx:  # (not the warm-up requests)
            posted[context.trace_request_ctx["sid"]] = time.time()

    trace.on_request_headers_sent.append(headers_sent)
    sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), trace_configs=[trace])
                for _ in servers]
    try:
        async def warm(session: aiohttp.ClientSession, server: str) -> None:
            async with session.get(server + "/healthz") as answer:
                await answer.read()

        await asyncio.gather(*(warm(sessions[n % 2], servers[n % 2]) for n in range(len(texts))))
        if ready is not None:
            await ready.wait()  # every person's connections are open before the first message

        async def one(n: int, sid: str, body: bytes, headers: dict[str, str]) -> int:
            try:
                async with sessions[n % 2].post(servers[n % 2] + WhatsApp.path, data=body, headers=headers,
                                                trace_request_ctx={"sid": sid}) as answer:
                    await answer.read()
                    return answer.status
            except (aiohttp.ClientError, OSError):
                return 0

        sids, tasks = [], []
        for n, text in enumerate(texts):
            sid = f"SM{tag}{n:04d}".ljust(34, "0")
            body, headers = _message(user_key, sid, text)
            sids.append(sid)
            tasks.append(asyncio.create_task(one(n, sid, body, headers)))
            await asyncio.sleep(gap)
        for status in await asyncio.gather(*tasks):
            platform.ledger.statuses[status] += 1
    finally:
        for session in sessions:
            await session.close()
    return sids


async def play(platform: Platform, server: Served, key: str, script: list[tuple[str, str]],
               tag: str = "learn") -> tuple[list[str], str]:
    """Play a script one message at a time, taps resolved to their numbers: the texts sent and
    the last reply's text."""
    from bench.people import User

    user, texts, last = User(0, key), [], ""
    for n, (kind, value) in enumerate(script):
        text = value
        if kind == "tap":
            options = {label: number for number, label in _OPTION.findall(last)}
            text = options.get(value, value)
        body, headers = _message(user.key, f"SM{tag}{n:04d}".ljust(34, "0"), text)
        status, content = await platform.post(server.url + WhatsApp.path, body, headers)
        last = re.sub(r"<[^>]+>", "\n", content.decode("utf-8", "replace"))
        texts.append(text)
    return texts, last


async def learn_registration(platform: Platform, server: Served) -> list[str]:
    """The texts a person sends to register."""
    texts, last = await play(platform, server, "whatsapp:+5215590000000", REGISTRATION)
    if "Guardamos tu registro" not in last:
        raise RuntimeError("the registration played one message at a time did not end as expected")
    return texts


def registrations_right(url: str, keys: list[str]) -> int:
    from sqlalchemy import select

    from db import registrations as registration_store
    from db.database import Database
    from db.tables import identities

    db = Database(url)
    with db.transaction() as conn:
        owners = dict(conn.execute(select(identities.c.contact_id, identities.c.user_key)
                                   .where(identities.c.user_key.in_(keys))).all())
        stored = list(registration_store.search(conn))
    db.dispose()
    right = 0
    for record in stored:
        if record.contact_id in owners and all(getattr(record.data, k) == v for k, v in EXPECTED.items()):
            right += 1
    return right


async def run(apis: ChaosApis, work: Path, pg: PrivatePostgres, *, persons: int, messages: int = 20,
              gap: float = 0.025, registrations: int = 5, servers: int = 2,
              by_sender: bool = False) -> dict[str, Any]:
    routing = "by sender" if by_sender else "round-robin" if servers > 1 else "one server"
    if by_sender and balancer.haproxy() is None:
        reason = "haproxy is not installed (apt-get install haproxy)"
        print(f"   skipped: {reason}", file=sys.stderr, flush=True)
        return {"scenario": "machines", "backend": "postgresql", "routing": routing, "skipped": reason}
    apis.reset()
    with fresh_database("postgresql", work, pg) as url, contextlib.ExitStack() as stack:
        first = await start(puente(url, apis), work)
        running = [first]
        try:
            for _ in range(servers - 1):
                running.append(await start(puente(url, apis), work))
            if by_sender:
                # Every message to HAProxy's one address; it picks the machine by the form's From.
                proxy = await asyncio.to_thread(stack.enter_context, balancer.running(
                    [f"127.0.0.1:{server.port}" for server in running], work))
                pair = [proxy, proxy]
                await balancer.warm(proxy, len(running))
            else:
                pair = [server.url for server in (running if servers > 1 else running * 2)]
            async with Platform(WhatsApp(), apis, first.url) as platform:
                texts = ["hola", "menú", "1", "busco trabajo de cocinero", "2", "menú", "hola", "3"]
                posted: dict[str, float] = {}
                ready = asyncio.Barrier(persons)
                sent = await asyncio.gather(*(
                    burst(platform, pair, f"whatsapp:+52155{70_000_000 + p}",
                          [texts[n % len(texts)] for n in range(messages)], gap, f"b{p:03d}", posted, ready)
                    for p in range(persons)
                ))
                registration = await learn_registration(platform, first)
                keys = [f"whatsapp:+52155{80_000_000 + p}" for p in range(registrations)]
                ready = asyncio.Barrier(registrations)
                await asyncio.gather(*(burst(platform, pair, key, registration, gap, f"r{p:03d}", {}, ready)
                                       for p, key in enumerate(keys)))
                statuses = dict(platform.ledger.statuses)
            committed = await asyncio.to_thread(commit_order, url)
            right = await asyncio.to_thread(registrations_right, url, keys)
        finally:
            await asyncio.to_thread(stack.close)
            for server in running:
                await asyncio.to_thread(server.stop)
    disorder = [out_of_order(s, committed) for s in sent]
    return {
        "scenario": "machines", "backend": "postgresql", "servers": servers, "routing": routing, "bursts": persons,
        "messages_per_burst": messages, "gap_ms": gap * 1000,
        "bursts_in_order": sum(1 for d in disorder if d == 0), "out_of_order_turns": disorder,
        # The platform's own side: requests that went out after a later message of the person.
        "posted_out_of_order": sum(out_of_order(s, posted) for s in sent),
        "registrations": registrations, "registrations_right": right,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }
