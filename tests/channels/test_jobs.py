"""The job queue's schedules: the alerts go out from the worker (no cron needed), an alert the
platform did not accept is sent later by the outbox and never offered twice; the worker runs
inside the web app (SQLite) and as `puente worker`."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any

import psycopg
import pytest
from procrastinate.exceptions import ConnectorException

from bot.app import App
from bot.jobs.queue import SWEEP_CRON, build_queue
from bot.web.app import create_web_app
from bot.web.serve import job_worker
from tests.channels.fakes import FakePlatforms, ServerThread
from tests.channels.test_notifier import known_contacts
from tests.channels.test_outbox import drain, notify, one_try_per_send
from tests.channels.test_vacancy_alerts import SUBSCRIBED, subscriber
from tests.channels.conftest import FakeTime
from tests.support.clock import FakeClock
from tests.vacancies.fixtures import offer, store

LATER = SUBSCRIBED + dt.timedelta(hours=3)


def run_alert_job(app: App) -> None:
    async def main() -> None:
        queue = build_queue(app)
        try:
            async with queue.procrastinate.open_async():
                await queue.alerts.defer_async(timestamp=0)
                await queue.procrastinate.run_worker_async(wait=False, concurrency=1, install_signal_handlers=False,
                                                           delete_jobs="always", listen_notify=False)
        finally:
            await app.aclose()

    asyncio.run(main())


def a_reply_waiting(app: App, fake_time: FakeTime, platforms: FakePlatforms, clock: FakeClock, chat: str) -> int:
    """A person whose message Telegram refused once, due again now: what a worker must send."""
    one_try_per_send(app, fake_time)
    [person] = known_contacts(app, "telegram", [chat])
    platforms.fail("sendMessage", 500)
    assert notify(app, person).retry_at is not None
    clock.advance(30)
    return person


def test_the_schedules_are_the_settings(channel_app: App) -> None:
    queue = build_queue(channel_app)
    crons = {p.task.name: p.cron for p in queue.procrastinate.periodic_registry.periodic_tasks.values()}
    assert crons == {"puente.outbox_sweep": SWEEP_CRON, "puente.retention": "23 * * * *",
                     "puente.vacancy_alerts": "*/15 * * * *"}
    quiet = dataclasses.replace(channel_app, settings=dataclasses.replace(channel_app.settings, vacancy_alerts_cron=""))
    assert build_queue(quiet).alerts is None


def test_the_worker_sends_alerts_and_a_refused_one_is_sent_later_never_twice(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
) -> None:
    clock.now = LATER.timestamp()
    one_try_per_send(channel_app, fake_time)
    subscriber(channel_app, "telegram", "7501", "es", LATER - dt.timedelta(hours=1))
    store(channel_app.db, [offer("c1", "Cocinero de línea", "23", "Cancún")], now=SUBSCRIBED + dt.timedelta(hours=1))
    platforms.fail("sendMessage", 503)

    run_alert_job(channel_app)
    assert platforms.sent("sendMessage", chat_id=7501) == []
    run_alert_job(channel_app)  # the vacancy belongs to the waiting message: not offered again
    assert len(platforms.attempts("sendMessage")) == 1

    clock.advance(30)
    drain(channel_app)
    [sent] = platforms.sent("sendMessage", chat_id=7501)
    assert "Cocinero de línea" in sent.params["text"]
    drain(channel_app)
    run_alert_job(channel_app)
    assert len(platforms.sent("sendMessage", chat_id=7501)) == 1


def test_the_web_app_runs_the_job_worker_in_process(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
) -> None:
    """SQLite's way (and PostgreSQL's unless WEB_JOBS=0): the worker starts with the web app,
    and its first sweep sends what waited, e.g. after a restart."""
    ana = a_reply_waiting(channel_app, fake_time, platforms, clock, "7502")
    with ServerThread(create_web_app(channel_app, jobs=job_worker(channel_app))):
        platforms.wait_for("sendMessage", 2, seconds=15)
    assert len(platforms.sent("sendMessage", chat_id=7502)) == 1


def test_a_starting_worker_sweeps_at_once_not_at_the_next_period(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a restart what waited (a reply cut off by the process that died, a next try) goes
    when the worker starts. procrastinate defers a periodic task at start only for a period no
    process deferred yet: on PostgreSQL the dead process, or another machine, usually had, and
    the sweep waited for the next period (up to 10 s). Here the period never comes."""
    monkeypatch.setattr("bot.jobs.queue.SWEEP_CRON", "0 0 1 1 *")  # once a year: not in this test
    ana = a_reply_waiting(channel_app, fake_time, platforms, clock, "7504")
    with ServerThread(create_web_app(channel_app, jobs=job_worker(channel_app))):
        platforms.wait_for("sendMessage", 2, seconds=5)
    assert len(platforms.sent("sendMessage", chat_id=7504)) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite's queue dies with its process
def test_a_job_left_running_by_a_process_that_died_is_run_again(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
) -> None:
    """kill -9 during a person's send job left it `doing` in PostgreSQL, holding the person's
    lock: every later send job for that person waited behind it, and their replies were never
    sent (bench.chaos kill, REST path). The sweep runs again the jobs of workers whose
    heartbeat stopped."""
    ana = a_reply_waiting(channel_app, fake_time, platforms, clock, "7505")
    dead_workers_job(channel_app, ana)
    with ServerThread(create_web_app(channel_app, jobs=job_worker(channel_app))):
        platforms.wait_for("sendMessage", 2, seconds=8)
    assert len(platforms.sent("sendMessage", chat_id=7505)) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_worker_that_died_just_before_a_start_has_its_jobs_run_once_it_is_silent_long_enough(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At a restart the dead worker's heartbeat is a few seconds old: the start's sweep cannot
    tell it died. A second sweep once it could have answered (STALLED_SECONDS) takes its jobs,
    without waiting for the next period (none comes in this test)."""
    monkeypatch.setattr("bot.jobs.queue.SWEEP_CRON", "0 0 1 1 *")
    monkeypatch.setattr("bot.jobs.worker.STALLED_SECONDS", 2.0)
    monkeypatch.setattr("bot.jobs.queue.STALLED_SECONDS", 2.0)
    ana = a_reply_waiting(channel_app, fake_time, platforms, clock, "7506")
    dead_workers_job(channel_app, ana, silent_for="0 seconds")
    with ServerThread(create_web_app(channel_app, jobs=job_worker(channel_app))):
        platforms.wait_for("sendMessage", 2, seconds=8)
    assert len(platforms.sent("sendMessage", chat_id=7506)) == 1


def dead_workers_job(app: App, contact_id: int, silent_for: str = "1 hour") -> None:
    """A send job for the person, taken by a worker last heard of `silent_for` ago, and the next
    one queued behind it."""
    async def main() -> None:
        queue = build_queue(app)
        manager = queue.procrastinate.job_manager
        async with queue.procrastinate.open_async():
            worker = await manager.register_worker()
            send = queue.send_due.configure(lock=f"contact:{contact_id}", queueing_lock=f"send_due:{contact_id}")
            await send.defer_async(contact_id=contact_id)
            assert (await manager.fetch_job(queues=None, worker_id=worker)) is not None
            # A sweep of the living queued the next one, which waits behind the dead one's lock.
            await send.defer_async(contact_id=contact_id)
        with psycopg.connect(app.db.url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - %s::interval"
                         " WHERE id = %s", (silent_for, worker))
        await app.aclose()

    asyncio.run(main())


def test_the_web_apps_job_worker_is_started_again_when_it_stops_on_its_own(
    channel_app: App, clock: FakeClock, fake_time: FakeTime, platforms: FakePlatforms,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """procrastinate stops a worker whose listener lost the database (a PostgreSQL restart:
    "Side task listener failed ..., stopping worker"). The web app starts it again, so what
    waits for another try is still sent."""
    ana = a_reply_waiting(channel_app, fake_time, platforms, clock, "7503")
    jobs = job_worker(channel_app)
    assert jobs is not None
    manager = jobs.queue.procrastinate.job_manager
    listen, lost = manager.listen_for_jobs, []

    async def losing_the_database(**kwargs: Any) -> None:
        if not lost:
            lost.append(True)
            raise ConnectorException("connection failed: Connection refused")
        await listen(**kwargs)

    monkeypatch.setattr(manager, "listen_for_jobs", losing_the_database)
    monkeypatch.setattr("bot.jobs.worker.RESTART_PAUSES", (0.1,))
    with ServerThread(create_web_app(channel_app, jobs=jobs)):
        platforms.wait_for("sendMessage", 2, seconds=25)
    assert lost and jobs.restarts >= 1
    assert len(platforms.sent("sendMessage", chat_id=7503)) == 1
