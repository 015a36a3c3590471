"""The tasks and their schedules, on a procrastinate App built for one Puente App: the outbox's
sweep (every 10 s: due rows -> one send job per person, run one at a time per person), the
vacancy alerts (VACANCY_ALERTS_CRON) and the hourly pruning (bot/conversation/retention.py). The same tasks run on both
backends; only the connector differs (PostgreSQL's tables, or this process's memory)."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException, UniqueViolation
from procrastinate.jobs import Status

from bot.app import App
from bot.conversation.retention import forget_old
from bot.jobs.process import ProcessConnector

log = logging.getLogger("puente.jobs")

# croniter's sixth field is the seconds.
SWEEP_CRON = "* * * * * */10"
RETENTION_CRON = "23 * * * *"
# Finished jobs kept on PostgreSQL for looking into (procrastinate_jobs), then deleted.
KEEP_FINISHED_HOURS = 72
# Every worker writes a heartbeat this often (procrastinate's default: 10 s; here one UPDATE a
# second per process); one silent for STALLED_SECONDS has died (kill -9, a machine lost) and
# the sweep runs its jobs again. A living worker taken for dead (its loop stuck that long) costs
# a job run twice, which every Puente job allows; a dead one's person waits this long plus the
# sweep's period.
HEARTBEAT_SECONDS = 1.0
STALLED_SECONDS = 5.0


@dataclass
class JobQueue:
    """procrastinate's App with Puente's tasks; `app` is what they work on."""

    procrastinate: procrastinate.App
    app: App
    send_due: Any
    sweep: Any
    retention: Any
    alerts: Any | None

    @property
    def in_process(self) -> bool:
        return in_process(self.procrastinate)


def in_process(queue: procrastinate.App) -> bool:
    """SQLite's way: the queue lives in this process's memory and dies with it."""
    return isinstance(queue.connector, ProcessConnector)


def connector_for(app: App) -> Any:
    if app.db.is_sqlite:
        return ProcessConnector()
    from procrastinate import PsycopgConnector

    conninfo = app.db.url.replace("postgresql+psycopg://", "postgresql://", 1)
    return PsycopgConnector(conninfo=conninfo, min_size=1, max_size=4)


def build_queue(app: App) -> JobQueue:
    queue = procrastinate.App(connector=connector_for(app))

    @queue.task(name="puente.send_due")
    async def send_due(contact_id: int) -> None:
        """One person's due outbox rows, in order (the lock keeps one job per person running)."""
        await app.outbox.send_due(contact_id)

    @queue.periodic(cron=SWEEP_CRON, periodic_id="outbox")
    @queue.task(name="puente.outbox_sweep", queueing_lock="puente.outbox_sweep")
    async def sweep(timestamp: int) -> int:
        await run_stalled_again(queue)
        # It writes (rows interrupted mid-send) outside any turn: on SQLite with the process's
        # writer lock, else it could wait on the event loop for a turn's lock (see ordering.py).
        async with app.conversations.ordering.writer():
            contacts = app.outbox.due_contacts()
        for contact_id in contacts:
            await defer_once(send_due.configure(
                lock=f"contact:{contact_id}", queueing_lock=f"send_due:{contact_id}"
            ), contact_id=contact_id)
        return len(contacts)

    @queue.periodic(cron=RETENTION_CRON, periodic_id="retention")
    @queue.task(name="puente.retention", queueing_lock="puente.retention")
    async def retention(timestamp: int) -> None:
        now = app.conversations.now()
        async with app.conversations.ordering.writer():
            forgotten = forget_old(app.db, now, processed_ids_days=app.settings.processed_ids_days,
                                   handoff_days=app.settings.handoff_retention_days)
        log.info("forgot %d processed message id(s), %d unanswered message(s), %d closed handoff(s)",
                 forgotten.processed_ids, forgotten.unanswered, forgotten.handoffs)
        if not app.db.is_sqlite:
            await queue.job_manager.delete_old_jobs(nb_hours=KEEP_FINISHED_HOURS, include_failed=True)

    alerts = None
    if app.settings.vacancy_alerts_cron:
        alerts = _alert_task(queue, app)
    return JobQueue(queue, app, send_due, sweep, retention, alerts)


def _alert_task(queue: procrastinate.App, app: App) -> Any:
    from bot.vacancies.alerts import AlertSender, parse_templates

    @queue.periodic(cron=app.settings.vacancy_alerts_cron, periodic_id="alerts")
    @queue.task(name="puente.vacancy_alerts", lock="puente.vacancy_alerts", queueing_lock="puente.vacancy_alerts")
    async def vacancy_alerts(timestamp: int) -> str:
        app.live.refresh()
        sender = AlertSender(
            app.db, lambda: app.live.content, app.services.formatter, app.notifier,
            templates=parse_templates(app.settings.extra.get("VACANCY_ALERT_TEMPLATES", "")),
            clock=app.conversations.now,
        )
        summary = (await sender.run_once()).summary()
        log.info("vacancy alerts: %s", summary)
        return summary

    return vacancy_alerts


async def run_stalled_again(queue: procrastinate.App) -> int:
    """The jobs a worker that died was running, back in the queue (procrastinate's recipe:
    get_stalled_jobs, retry_job). Left `doing`, a person's send job held the person's lock and
    every later one waited behind it for ever. Each Puente job may run twice: a send claims
    its rows, the alerts their vacancies; the sweep and the pruning only repeat themselves.
    On SQLite the queue lives and dies with its process: nothing to do."""
    if in_process(queue):
        return 0
    manager = queue.job_manager
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_SECONDS))
    for job in stalled:
        try:
            await manager.retry_job(job)
        except UniqueViolation:
            # The same job already waits (its queueing lock: a sweep queued the person's next
            # send): this one ends, and its lock with it.
            with contextlib.suppress(ConnectorException):
                await manager.finish_job_by_id_async(job.id, status=Status.FAILED, delete_job=False)
        except ConnectorException:  # another machine's sweep took it first
            continue
    if stalled:
        log.warning("%d job(s) of a worker that stopped answering queued again", len(stalled))
    return len(stalled)


async def defer_once(task: Any, **kwargs: Any) -> int | None:
    """Defer a job unless the same one already waits (its queueing lock)."""
    try:
        return int(await task.defer_async(**kwargs))
    except AlreadyEnqueued:
        return None
