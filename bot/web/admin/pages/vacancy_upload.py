"""Uploading a vacancy file: the same reading, checks and report as `puente vacancies import`."""

from __future__ import annotations

import io

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from bot.days import mexico_today
from bot.vacancies.importer import FileUnreadable, check_rows, read_bytes, store_checked
from bot.web.admin import refusals
from bot.web.admin.forms import MAX_UPLOAD
from bot.web.admin.site import Admin, Visit
from db import audit

# A report of thousands of problems helps nobody on one page: the first ones show the pattern.
SHOWN_PROBLEMS = 200


def routes(admin: Admin) -> list[Route]:
    def page(visit: Visit, status: int = 200, **context: object) -> Response:
        values = {"report": None, "error": "", "filename": "", "source": "", "shown": SHOWN_PROBLEMS,
                  "max_mb": MAX_UPLOAD // (1024 * 1024), "summary": "", "errors": [], "warnings": [],
                  **context}
        return admin.render(visit, "vacancy_upload.html", status=status, **values)

    async def upload_form(visit: Visit) -> Response:
        return page(visit)

    async def upload(visit: Visit) -> Response:
        source = visit.form.get("source", limit=32).strip() or None
        file = visit.form.file("file")
        name = file.filename.replace("\\", "/").rsplit("/", 1)[-1][:100] or "upload.csv"
        try:
            rows, notes = read_bytes(file.data, name)
        except FileUnreadable as error:
            return page(visit, 400, error=refusals.unreadable(error), filename=name, source=source or "")
        now = admin.clock()
        # Checking takes about 1.7 ms a row (a 2 MB file: ~17 s): in a thread, so the worker
        # keeps answering webhooks. The progress bar of the CLI goes nowhere.
        checked = await run_in_threadpool(lambda: check_rows(
            rows, today=mexico_today(now), default_source=source, label=name, progress_stream=io.StringIO()))
        report = checked.report
        report.warnings = notes + report.warnings

        def store() -> None:
            with admin.db.transaction() as conn:
                store_checked(conn, checked, now, progress_stream=io.StringIO())
                audit.record(conn, visit.actor, "vacancies.import", {
                    "file": name, "rows": report.rows, "inserted": report.inserted,
                    "updated": report.updated, "rows_with_errors": report.bad_rows,
                }, at=now)

        # Turns wait for the write (SQLite has one writer) without blocking the event loop.
        async with admin.app.conversations.serialized("admin", "vacancy-upload"):
            await run_in_threadpool(store)
        return page(visit, report=report, filename=name, source=source or "",
                    summary=refusals.summary(report.rows, report.inserted, report.updated, report.bad_rows,
                                             len(report.warnings)),
                    errors=[refusals.in_file(p) for p in report.errors[:SHOWN_PROBLEMS]],
                    warnings=[refusals.in_file(p) for p in report.warnings[:SHOWN_PROBLEMS]])

    return [
        admin.route("/vacancies/upload", upload_form, "vacancies.edit"),
        admin.route("/vacancies/upload", upload, "vacancies.edit", methods=("POST",), upload=True),
    ]
