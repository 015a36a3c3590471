"""Duplicate storms: the platform posts one update many times (a retry storm, a replay).

- messages: each of `users` people sends one message, posted `copies` times at once and then
  `copies` times again one after another; the turn must run once. Figures: turns stored,
  copies answered with a reply (the first is expected; more means the person read the same
  reply several times), copies answered 5xx.
- statuses: one Twilio status callback posted `copies` times; it must be counted once
  (counters, whatsapp_status)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.chaos.harness import ChaosApis, PrivatePostgres, serving
from bench.chaos.ledger import Platform
from bench.common import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, WHATSAPP_FROM, processed_ids
from bench.people import PROTOCOLS


async def messages(platform: Platform, users: int, copies: int) -> dict[str, Any]:
    crowd = [platform.user(10_000 + i) for i in range(users)]

    async def storm(index: int) -> list[int]:
        user = crowd[index]
        body, headers, external_id = platform.protocol.request(user)
        together = await asyncio.gather(*(
            platform.deliver(user, body, headers, external_id, give_up=0) for _ in range(copies)
        ))
        one_by_one = [await platform.deliver(user, body, headers, external_id, give_up=0) for _ in range(copies)]
        return [u.answered_attempts for u in (*together, *one_by_one)]

    answered = await asyncio.gather(*(storm(i) for i in range(users)))
    statuses = Counter(a.status for u in platform.ledger.updates for a in u.attempts)
    ids = {u.external_id for u in platform.ledger.updates}
    return {
        "updates": len(ids), "copies": len(platform.ledger.updates),
        "copies_answered": sum(map(sum, answered)),
        "extra_replies": sum(max(0, sum(a) - 1) for a in answered),
        "never_answered": sum(1 for a in answered if not sum(a)),
        "copies_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "ids": ids,
    }


async def status_callbacks(platform: Platform, base_url: str, distinct: int, copies: int) -> int:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(AUTH_TOKEN)
    path = "/webhooks/whatsapp/status"
    sent = 0
    for n in range(distinct):
        form = {"MessageSid": f"SM{n + 1:032x}", "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID,
                "To": f"whatsapp:+52155{n:08d}", "From": WHATSAPP_FROM, "ApiVersion": "2010-04-01"}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": validator.compute_signature(PUBLIC_URL + path, form)}
        for _ in range(copies):
            status, _ = await platform.post(base_url + path, urlencode(form).encode(), headers)
            sent += 200 <= status < 300
    return sent


def counted_statuses(url: str) -> int:
    from sqlalchemy import func, select

    from db.database import Database
    from db.tables import counters

    db = Database(url)
    with db.transaction() as conn:
        total = conn.execute(select(func.coalesce(func.sum(counters.c.count), 0)).where(
            counters.c.name == "whatsapp_status", counters.c.key == "delivered")).scalar_one()
    db.dispose()
    return int(total)


async def run(backend: str, apis: ChaosApis, work: Path, pg: PrivatePostgres | None, *,
              users: int, copies: int, channels: tuple[str, ...] = ("telegram", "whatsapp")) -> list[dict[str, Any]]:
    apis.reset()
    results = []
    async with serving(backend, apis, work, pg) as (server, url):
        for channel in channels:
            async with Platform(PROTOCOLS[channel](), apis, server.url) as platform:
                found = await messages(platform, users, copies)
                if channel == "whatsapp":
                    found["status_posts_2xx"] = await status_callbacks(platform, server.url, users, copies)
            ids = found.pop("ids")
            stored = set(await asyncio.to_thread(processed_ids, url, channel))
            found["stored"] = len(ids & stored)
            if channel == "whatsapp":
                found["status_distinct"] = users
                found["status_counted"] = await asyncio.to_thread(counted_statuses, url)
            results.append({"scenario": "storm", "backend": backend, "channel": channel, **found})
    return results
