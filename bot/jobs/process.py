"""The job queue of one process (SQLite deployments): procrastinate's in-memory connector, kept
from growing in a long-running process (for tests it records every query and job event).

Nothing is lost with it at a restart: what must survive lives in the database (an outbox row's
status and next try, the alerts already claimed), and the periodic sweep finds it again."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from procrastinate.testing import InMemoryConnector


class ProcessConnector(InMemoryConnector):
    def reset(self) -> None:
        super().reset()
        self.events: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)  # type: ignore[assignment]

    async def generic_execute(self, query: str, suffix: str, **arguments: Any) -> Any:  # type: ignore[override]
        # As the parent does, minus the list of every query ever run.
        return await getattr(self, f"{self.reverse_queries[query]}_{suffix}")(**arguments)

    async def finish_job_run(self, job_id: int, status: str, delete_job: bool) -> None:
        await super().finish_job_run(job_id, status, delete_job)
        if delete_job:  # the worker deletes every finished job (jobs.worker)
            self.events.pop(job_id, None)
