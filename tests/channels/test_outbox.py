"""The outbox: a message the platform did not accept is tried again by the job queue, with
backoff that honours retry_after, across a restart, and is delivered exactly once; two workers
never send the same row."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from bot.app import App, build_channels
from bot.channels.pacing import Backoff
from bot.engine import CompiledContent
from bot.jobs.queue import build_queue
from bot.jobs.worker import run_due
from bot.messages import DeliveryStatus, Outbound
from bot.settings import Settings
from db import outbound
from db.counters import totals
from db.outbound import outbound_messages
from tests.channels.conftest import FakeTime, make_app
from tests.channels.fakes import FakePlatforms
from tests.channels.test_notifier import known_contacts
from tests.support.clock import FakeClock

ALERT = [Outbound("Nueva vacante: cocinero en Mérida.")]


def one_try_per_send(app: App, fake_time: FakeTime) -> None:
    """No quick retries inside one send: every try the platform sees is one of the outbox's."""
    pace = dataclasses.replace(fake_time.pace(), backoff=Backoff(attempts=1))
    app.channels = build_channels(app.settings, app.live, app.metrics, pace=pace)


def drain(app: App) -> None:
    """What a running worker does when the sweep comes round: the due rows are sent."""
    async def main() -> None:
        try:
            await run_due(build_queue(app))
        finally:
            await app.aclose()

    asyncio.run(main())


def notify(app: App, contact_id: int, messages: list[Outbound] = ALERT):  # type: ignore[no-untyped-def]
    async def main():  # type: ignore[no-untyped-def]
        try:
            return await app.notifier.send(contact_id, messages)
        finally:
            await app.aclose()

    return asyncio.run(main())


def row(app: App) -> dict:
    with app.db.transaction() as conn:
        [found] = conn.execute(select(outbound_messages)).mappings().all()
        return dict(found)


def test_a_refused_alert_is_retried_with_backoff_across_a_restart_and_sent_once(
    channel_app: App, channel_settings: Settings, content: CompiledContent, clock: FakeClock,
    fake_time: FakeTime, platforms: FakePlatforms,
) -> None:
    one_try_per_send(channel_app, fake_time)
    [ana] = known_contacts(channel_app, "telegram", ["7301"])
    platforms.fail("sendMessage", 500)
    platforms.fail("sendMessage", 429, retry_after=120)

    delivery = notify(channel_app, ana)
    assert delivery.status == DeliveryStatus.FAILED and delivery.retry_at is not None
    first = row(channel_app)
    assert (first["status"], first["attempts"], first["last_error"]) == ("failed", 1, "NetworkError")
    # Not due yet: the sweep leaves it alone.
    drain(channel_app)
    assert len(platforms.attempts("sendMessage")) == 1

    clock.advance(30)  # the first wait of the plan
    drain(channel_app)
    second = row(channel_app)
    assert (second["status"], second["attempts"], second["last_error"]) == ("failed", 2, "RetryAfter")
    waited = second["next_attempt_at"].replace(tzinfo=dt.UTC) - channel_app.conversations.now()
    assert waited == dt.timedelta(seconds=120)  # Telegram's retry_after, not the plan's 1 minute

    # A restart: a new app (and queue) over the same database.
    restarted = make_app(channel_settings, content, clock, fake_time)
    one_try_per_send(restarted, fake_time)
    clock.advance(60)
    drain(restarted)
    assert len(platforms.attempts("sendMessage")) == 2  # still waiting for Telegram's 120 s
    clock.advance(60)
    drain(restarted)
    drain(restarted)
    done = row(restarted)
    assert (done["status"], done["attempts"], done["next_attempt_at"]) == ("sent", 3, None)
    assert [c.answer for c in platforms.attempts("sendMessage")] == [500, 429, 200]
    assert len(platforms.sent("sendMessage", chat_id=7301)) == 1
    with restarted.db.transaction() as conn:
        assert totals(conn, "outbound") == {"telegram:alert:retry": 2, "telegram:alert:sent": 1}
    restarted.close()


def test_a_message_that_keeps_failing_ends_failed_with_its_error_and_counted(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
) -> None:
    one_try_per_send(channel_app, fake_time)
    channel_app.outbox.plan = dataclasses.replace(channel_app.outbox.plan, attempts=3)
    [ana] = known_contacts(channel_app, "whatsapp", ["whatsapp:+5215550001111"])
    platforms.fail("Messages", 503, code=20503, times=5, description="Service unavailable")
    assert notify(channel_app, ana).status == DeliveryStatus.FAILED
    for _ in range(3):
        clock.advance(3600)
        drain(channel_app)
    final = row(channel_app)
    assert (final["status"], final["error"], final["attempts"], final["next_attempt_at"]) == ("failed", "20503", 3, None)
    assert len(platforms.attempts("Messages")) == 3
    with channel_app.db.transaction() as conn:
        assert totals(conn, "outbound") == {"whatsapp:alert:retry": 2, "whatsapp:alert:failed": 1}


def test_one_persons_messages_wait_behind_the_one_being_retried(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
) -> None:
    one_try_per_send(channel_app, fake_time)
    [ana] = known_contacts(channel_app, "telegram", ["7302"])
    platforms.fail("sendMessage", 502)
    notify(channel_app, ana, [Outbound("primero")])
    later = notify(channel_app, ana, [Outbound("segundo")])
    assert later.status == DeliveryStatus.FAILED and later.detail == "behind_an_earlier_message"
    assert platforms.sent("sendMessage", chat_id=7302) == []
    clock.advance(30)
    drain(channel_app)
    texts = [c.params["text"] for c in platforms.sent("sendMessage", chat_id=7302)]
    assert texts == ["primero", "segundo"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_never_send_the_same_row(
    channel_app: App, channel_settings: Settings, content: CompiledContent, clock: FakeClock,
    fake_time: FakeTime, platforms: FakePlatforms,
) -> None:
    """Rows due for 20 people, two workers (two apps, two queues) sweeping at once."""
    keys = [str(7400 + n) for n in range(20)]
    ids = known_contacts(channel_app, "telegram", keys)
    now = channel_app.conversations.now()
    with channel_app.db.transaction() as conn:
        for contact_id in ids:
            outbound.enqueue(conn, contact_id=contact_id, channel="telegram", kind="alert", now=now,
                             bodies=[{"text": f"aviso {contact_id} #{n}", "choices": []} for n in range(3)])
    clock.advance(60)
    other = make_app(channel_settings, content, clock, fake_time)

    async def both() -> None:
        try:
            await asyncio.gather(run_due(build_queue(channel_app)), run_due(build_queue(other)),
                                 *(app.outbox.send_due(i) for app in (channel_app, other) for i in ids[:5]))
        finally:
            await channel_app.aclose()
            await other.aclose()

    asyncio.run(both())
    texts = [c.params["text"] for c in platforms.sent("sendMessage")]
    assert len(texts) == len(set(texts)) == 60
    for key, contact_id in zip(keys, ids):
        mine = [c.params["text"] for c in platforms.sent("sendMessage", chat_id=key)]
        assert mine == [f"aviso {contact_id} #{n}" for n in range(3)]  # in order
    with channel_app.db.transaction() as conn:
        assert {r.status for r in conn.execute(select(outbound_messages.c.status))} == {"sent"}
    other.close()


def test_a_redelivery_never_sends_past_a_reply_another_worker_is_sending(
    channel_app: App, platforms: FakePlatforms,
) -> None:
    """A turn's three replies, the first taken by another worker (a slow send; the platform
    redelivered the update meanwhile): the redelivery sends nothing ahead of it, and once the
    first is sent the rest go, in order."""
    [ana] = known_contacts(channel_app, "telegram", ["7310"])
    now = channel_app.conversations.now()
    with channel_app.db.transaction() as conn:
        ids = outbound.enqueue(conn, contact_id=ana, channel="telegram", kind="reply", now=now,
                               bodies=[{"text": text, "choices": []} for text in ("uno", "dos", "tres")])
        assert outbound.claim(conn, ids[0], now, due_only=False) is not None  # the other worker's

    def redelivered() -> list[str]:
        async def main() -> list[str]:
            try:
                return [outcome.status for outcome in await channel_app.outbox.send_reply(ana, ids)]
            finally:
                await channel_app.aclose()
        return asyncio.run(main())

    assert redelivered() == ["busy"]
    assert platforms.sent("sendMessage", chat_id=7310) == []
    with channel_app.db.transaction() as conn:
        outbound.mark_sent(conn, ids[0], "1", now)  # the other worker's send went through
    assert redelivered() == ["busy", "sent", "sent"]  # the first is no longer waiting: the rest go
    assert [c.params["text"] for c in platforms.sent("sendMessage", chat_id=7310)] == ["dos", "tres"]
