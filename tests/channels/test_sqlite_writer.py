"""SQLite has one writer. A turn holds its write lock from its first statement to its commit,
and may await meanwhile (an action); the outbox's writes outside any turn (the sweep, claiming a
row to send) wait for the process's writer lock instead of waiting for SQLite's on the event
loop, where they froze every request for busy_timeout (5 s) and then failed."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.app import App
from bot.conversation.answers import REPLY
from bot.jobs.queue import build_queue
from db import outbound
from tests.channels.fakes import FakePlatforms
from tests.channels.test_notifier import known_contacts

TURN_AWAITS = 0.4  # seconds a turn keeps its transaction open across an await


def test_the_outbox_waits_for_an_open_turn_without_freezing_the_event_loop(
    channel_app: App, platforms: FakePlatforms,
) -> None:
    if not channel_app.db.is_sqlite:
        pytest.skip("SQLite's single writer")
    [ana] = known_contacts(channel_app, "telegram", ["7601"])
    with channel_app.db.transaction() as conn:
        [row_id] = outbound.enqueue(conn, contact_id=ana, channel="telegram", kind=REPLY,
                                    bodies=[{"text": "Hola"}], now=channel_app.conversations.now())
    queue = build_queue(channel_app)

    async def main() -> tuple[list[float], list[outbound.Claimed], float]:
        began, gaps = asyncio.Event(), []

        async def another_persons_turn() -> None:
            async with channel_app.conversations.ordering.turn("telegram", "7602"):
                async with channel_app.db.writing("telegram:7602"):
                    began.set()
                    await asyncio.sleep(TURN_AWAITS)

        async def ticker() -> None:
            last = time.monotonic()
            while True:
                await asyncio.sleep(0.01)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        ticking, turn = asyncio.create_task(ticker()), asyncio.create_task(another_persons_turn())
        try:
            await began.wait()
            started = time.monotonic()
            _, sent = await asyncio.gather(queue.sweep(timestamp=0), channel_app.outbox.send_reply(ana, [row_id]))
            waited = time.monotonic() - started
            await turn
            return gaps, sent, waited
        finally:
            ticking.cancel()
            await channel_app.aclose()

    gaps, sent, waited = asyncio.run(main())
    assert [o.status for o in sent] == ["sent"]
    assert [p.params["text"] for p in platforms.sent("sendMessage", chat_id=7601)] == ["Hola"]
    assert waited < TURN_AWAITS + 1.0  # behind the turn, not behind busy_timeout
    assert max(gaps) < 0.3  # the loop kept serving meanwhile
