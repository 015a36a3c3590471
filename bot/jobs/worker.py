"""Running the job queue: `puente worker` (jobs only, any number of them on any machine on
PostgreSQL), or inside each `puente serve` process (`JobWorker`, started and stopped with the
web app; the only way on SQLite)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.jobs.queue import HEARTBEAT_SECONDS, STALLED_SECONDS, JobQueue, defer_once

# Sends wait on the network, not the CPU: a few at once per worker (one per person at a time).
CONCURRENCY = 4
# A new job wakes a worker at once (LISTEN/NOTIFY); one that became free to run (a person's lock
# released by the sweep, a retry's time come) waits for the next look: every second, not
# procrastinate's default 5 s (one cheap query a second per worker when idle).
FETCH_POLL_SECONDS = 1.0
# The web app's worker stopped on its own: started again after these pauses (the last one
# repeated; back to the first once it ran for RAN_WELL seconds).
RESTART_PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)
RAN_WELL = 60.0

log = logging.getLogger("puente.jobs")


async def run(queue: JobQueue, *, wait: bool = True, signals: bool = False, name: str = "puente") -> None:
    """Work through the queue; `wait` False returns once nothing is left to do."""
    # In memory (SQLite) a finished job is dropped; on PostgreSQL failed ones stay to be looked
    # into (pruned after KEEP_FINISHED_HOURS by the retention task).
    delete = "always" if queue.in_process else "successful"
    async with queue.procrastinate.open_async():
        # A sweep at once: after a restart, a reply the dead process was sending (and what
        # waited behind it) goes now. procrastinate defers a period's sweep at start only if no
        # process did: on PostgreSQL the dead one usually had, and it waited for the next period.
        await defer_once(queue.sweep, timestamp=0)
        # And one more once a worker that died just before this start has been silent long
        # enough to be taken for dead: the jobs it held (a person's send) go then, not at the
        # next period (PostgreSQL's queue; SQLite's died with its process).
        late = None if queue.in_process else asyncio.create_task(_sweep_after(queue, STALLED_SECONDS + 1.0))
        try:
            await queue.procrastinate.run_worker_async(
                wait=wait, concurrency=CONCURRENCY, delete_jobs=delete, install_signal_handlers=signals,
                name=name, listen_notify=True, fetch_job_polling_interval=FETCH_POLL_SECONDS,
                update_heartbeat_interval=HEARTBEAT_SECONDS, stalled_worker_timeout=STALLED_SECONDS,
            )
        finally:
            if late is not None:
                late.cancel()


async def _sweep_after(queue: JobQueue, seconds: float) -> None:
    await asyncio.sleep(seconds)
    try:
        await defer_once(queue.sweep, timestamp=0)
    except Exception as error:  # noqa: BLE001 - the periodic sweep comes anyway
        log.warning("the sweep after start was not queued (%s)", type(error).__name__)


async def run_due(queue: JobQueue) -> None:
    """The outbox sweep now, then the sends it asks for (tests; `puente worker --once`). One job
    at a time: a worker that does not wait stops at the first moment it finds no job, and the
    sends are deferred while the sweep runs."""
    async with queue.procrastinate.open_async():
        await defer_once(queue.sweep, timestamp=0)
        await queue.procrastinate.run_worker_async(
            wait=False, concurrency=1, delete_jobs="always" if queue.in_process else "successful",
            install_signal_handlers=False, name="puente-once", listen_notify=False,
        )


class JobWorker:
    """The queue's worker as a task of the web app's event loop, started again whenever it
    stops on its own: procrastinate stops a worker whose listener lost the database (a
    PostgreSQL restart), and without it the outbox's next tries and the alerts would wait
    until the process restarts."""

    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue
        self._task: asyncio.Task[None] | None = None
        self.restarts = 0

    async def start(self) -> None:
        self._task = asyncio.create_task(self._keep_running(), name="job worker")

    async def _keep_running(self) -> None:
        loop = asyncio.get_running_loop()
        failures = 0
        while True:
            began = loop.time()
            try:
                await run(self.queue, name="puente-web")
                why = "stopped"
            except Exception as error:  # noqa: BLE001 - whatever stopped it, the queue must go on
                why = type(error).__name__
            failures = 1 if loop.time() - began > RAN_WELL else failures + 1
            pause = RESTART_PAUSES[min(failures, len(RESTART_PAUSES)) - 1]
            log.warning("the job worker stopped (%s); starting it again in %.0f s", why, pause)
            self.restarts += 1
            await asyncio.sleep(pause)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


def quiet_procrastinate(level: str) -> None:
    """procrastinate logs every job at INFO (a sweep every 10 s); its warnings are enough."""
    if logging.getLevelName(level.upper()) != logging.DEBUG:
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
