"""Downloading the registrations for the employment service: the file of `puente registrations
export`, written and recorded in the audit log in one transaction, never stored on the server."""

from __future__ import annotations

import io

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from bot.nlu.places import Places
from bot.registration.export import FORMATS, write_export
from bot.registration.filters import BadOption, ExportFilter, moment
from bot.web.admin.forms import FormError
from bot.web.admin.site import Admin, Visit
from bot.web.admin.translations import N_, _

LABELS = {"since": N_("Changed from"), "until": N_("Changed up to")}

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def read_filter(visit: Visit) -> ExportFilter:
    def day(name: str, *, end: bool = False):  # type: ignore[no-untyped-def]
        text = visit.form.get(name, limit=10).strip()
        if not text:
            return None
        try:
            return moment(text, end_of_day=end)
        except BadOption:
            raise FormError(_("“%(field)s” is not a date written YYYY-MM-DD: %(text)s.")
                            % {"field": _(LABELS[name]), "text": text}) from None

    state = visit.form.get("state", limit=40)
    if state and state not in Places.load().states:
        raise FormError(_("“State”: choose a state from the list."))
    return ExportFilter(since=day("since"), until=day("until", end=True), state=state or None)


def routes(admin: Admin) -> list[Route]:
    async def export(visit: Visit) -> Response:
        fmt = visit.form.get("format", "xlsx", limit=8)
        if fmt not in FORMATS:
            raise FormError(_("“Format”: the format is one of %(formats)s.") % {"formats": ", ".join(FORMATS)})
        where = read_filter(visit)
        now = admin.clock()
        name = f"registrations-{now:%Y%m%d-%H%M%S}.{fmt}"
        # In memory only (about 100 bytes a registration in XLSX, 300 in CSV): the file never
        # touches the server's disk.
        stream = io.BytesIO()

        def write() -> None:
            with admin.db.transaction() as conn:
                write_export(conn, stream, fmt, where, visit.actor, now, name)

        # 10,000 registrations take ~4 s in XLSX: in a thread, holding SQLite's single writer
        # (the audit entry) so turns wait without blocking the event loop.
        async with admin.app.conversations.serialized("admin", "registrations-export"):
            await run_in_threadpool(write)
        body = stream.getvalue()
        # The admin's headers add no-store: no browser or proxy keeps a copy.
        return Response(body, media_type=MEDIA_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return [admin.route("/registrations/export", export, "registrations.export", methods=("POST",))]
