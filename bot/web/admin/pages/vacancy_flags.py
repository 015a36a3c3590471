"""Vacancies users reported (asks for money, looks like fraud, wrong data); marking them reviewed."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.days import mexico_today
from bot.web.admin.site import Admin, Visit
from bot.web.admin.translations import _
from db import audit
from db.vacancies import staff as staff_view
from db.vacancies.flags import flag_summaries, mark_reviewed


def routes(admin: Admin) -> list[Route]:
    async def flags_page(visit: Visit) -> Response:
        everything = visit.request.query_params.get("all") == "1"
        with admin.db.transaction() as conn:
            found = flag_summaries(conn, pending=not everything)
        return admin.render(visit, "vacancy_flags.html", flags=found, everything=everything,
                            today=mexico_today(admin.clock()))

    async def reviewed(visit: Visit) -> Response:
        vacancy_id = visit.request.path_params["vacancy"]
        back = f"/vacancies/{vacancy_id}" if visit.form.get("back", limit=16) == "vacancy" else "/vacancies/flags"
        now = admin.clock()
        with admin.db.transaction() as conn:
            if staff_view.version(conn, vacancy_id) is None:
                return admin.error(visit, 404, _("There is no such vacancy (it may have been removed)."))
            count = mark_reviewed(conn, vacancy_id, now)
            if count == 0:
                return admin.error(visit, 409, _("There is no report on this vacancy left to review: "
                                                 "someone may have marked them reviewed already."))
            audit.record(conn, visit.actor, "vacancies.reports_reviewed", {"vacancy": vacancy_id, "reports": count},
                         at=now)
        return admin.redirect(back, "reviewed")

    return [
        admin.route("/vacancies/flags", flags_page, "vacancies.read"),
        admin.route("/vacancies/{vacancy:int}/reviewed", reviewed, "vacancies.edit", methods=("POST",)),
    ]
