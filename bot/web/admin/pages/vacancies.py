"""Vacancies: list and search, open one, edit it (checked like an import row), close it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from bot.nlu.places import Places
from bot.profile import DOCUMENT_NAMES
from bot.vacancies.cards import PERIODS
from bot.days import mexico_today
from bot.vacancies.importer import check_rows, store_checked
from bot.vacancies.record import ACCEPTED_DOCUMENTS, FIELD_NAMES
from bot.web.admin import refusals
from bot.web.admin.forms import FormError
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_, _
from db import audit
from db.vacancies import staff as staff_view
from db.vacancies.flags import flag_summaries
from db.vacancies.store import Vacancy, get_vacancy

NAV = [NavItem(N_("Vacancies"), "/admin/vacancies", "vacancies.read")]
PER_PAGE = 50
# Fields staff edit; source and external_id name the offer and stay as they are.
EDITABLE = tuple(name for name in FIELD_NAMES if name not in ("source", "external_id", "documents"))
# Longer than any field of the format allows, so the format's own message is shown for a long value.
FIELD_LIMIT = 5000
STALE = N_("Someone changed this vacancy after you opened it, so your change was not saved. "
           "Open it again to see their version.")
# How a vacancy's status and a pay period read on the pages.
STATUS_NAMES = {"open": N_("open"), "closed": N_("closed"), "upcoming": N_("upcoming"), "all": N_("all")}
PERIOD_NAMES = {"hour": N_("hour"), "day": N_("day"), "week": N_("week"), "fortnight": N_("fortnight"),
                "month": N_("month")}


def status_of(vacancy: Vacancy, today: dt.date) -> str:
    if vacancy.expires_on < today:
        return "closed"
    return "upcoming" if vacancy.published_on > today else "open"


def choices() -> dict[str, Any]:
    """What the filter and edit forms offer: states, pay periods, documents."""
    places = Places.load()
    return {
        "states": sorted(((code, s.name) for code, s in places.states.items()), key=lambda item: item[1]),
        "state_names": {code: s.name for code, s in places.states.items()},
        "periods": PERIODS,
        "documents": [(d, DOCUMENT_NAMES[d]) for d in ACCEPTED_DOCUMENTS],
        "document_names": DOCUMENT_NAMES,
        "status_names": STATUS_NAMES,
        "period_names": PERIOD_NAMES,
        "labels": refusals.FIELD_LABELS,
    }


def form_values(vacancy: Vacancy) -> dict[str, str]:
    values = {}
    for name in EDITABLE:
        value = getattr(vacancy, name)
        values[name] = "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)
    return values


def routes(admin: Admin) -> list[Route]:
    def today() -> dt.date:
        return mexico_today(admin.clock())

    async def vacancy_list(visit: Visit) -> Response:
        params = visit.request.query_params
        status = params.get("status", "open")
        where = staff_view.VacancyFilter(
            text=params.get("q", "")[:100].strip(),
            state=params.get("state", "") if params.get("state", "").isdigit() else "",
            source=params.get("source", "")[:32],
            status=status if status in staff_view.STATUSES else "open",
        )
        raw_page = params.get("page", "1")
        page = min(int(raw_page), 10_000) if raw_page.isdigit() and int(raw_page) > 0 else 1
        with admin.db.transaction() as conn:
            found, total = staff_view.listing(conn, where, today(), limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
            sources = staff_view.sources(conn)
        return admin.render(visit, "vacancies.html", rows=found, total=total, where=where, page=page,
                            pages=max(1, -(-total // PER_PAGE)), sources=sources, statuses=staff_view.STATUSES,
                            today=today(), status_of=status_of, **choices())

    def show(visit: Visit, vacancy: Vacancy, version: str, *, status: int = 200, values: dict[str, str] | None = None,
             documents: list[str] | None = None, errors: list[str] | None = None,
             warnings: list[str] | None = None, saved: bool = False) -> Response:
        with admin.db.transaction() as conn:
            reports = flag_summaries(conn, vacancy_id=vacancy.id)
            pending = flag_summaries(conn, vacancy_id=vacancy.id, pending=True)
        return admin.render(
            visit, "vacancy.html", status=status, vacancy=vacancy, version=version,
            values=values if values is not None else form_values(vacancy),
            chosen=documents if documents is not None else list(vacancy.documents),
            errors=errors or [], warnings=warnings or [], saved=saved,
            reports=reports[0] if reports else None, pending=pending[0].total if pending else 0,
            state=status_of(vacancy, today()), editable=visit.can("vacancies.edit"), **choices(),
        )

    def load(vacancy_id: int) -> tuple[Vacancy, str] | None:
        with admin.db.transaction() as conn:
            vacancy = get_vacancy(conn, vacancy_id)
            version = staff_view.version(conn, vacancy_id)
        return (vacancy, version) if vacancy is not None and version is not None else None

    async def vacancy_page(visit: Visit) -> Response:
        found = load(visit.request.path_params["vacancy"])
        if found is None:
            return admin.error(visit, 404, _("There is no such vacancy."))
        return show(visit, *found)

    async def save(visit: Visit) -> Response:
        vacancy_id = visit.request.path_params["vacancy"]
        found = load(vacancy_id)
        if found is None:
            return admin.error(visit, 404, _("There is no such vacancy (it may have been removed)."))
        vacancy, current_version = found
        sent_version = visit.form.require("version", limit=64)
        values = {name: visit.form.get(name, limit=FIELD_LIMIT) for name in EDITABLE}
        documents = visit.form.every("documents", limit=32)
        if sent_version != current_version:
            return show(visit, vacancy, current_version, status=409, errors=[_(STALE)])
        raw: dict[str, Any] = {**values, "documents": documents, "source": vacancy.source,
                               "external_id": vacancy.external_id}
        checked = check_rows([(0, raw)], today=today(), label=f"vacancy {vacancy_id}")
        report = checked.report
        if report.errors:
            return show(visit, vacancy, current_version, status=400, values=values, documents=documents,
                        errors=[refusals.on_form(e) for e in report.errors])
        now = admin.clock()
        with admin.db.transaction() as conn:
            # Checked again inside the transaction that writes: two saves cannot both win.
            if staff_view.version(conn, vacancy_id) != sent_version:
                raise FormError(_(STALE), 409)
            store_checked(conn, checked, now)
            audit.record(conn, visit.actor, "vacancies.edit",
                         {"vacancy": vacancy_id, "source": vacancy.source, "external_id": vacancy.external_id}, at=now)
        if report.warnings:
            saved = load(vacancy_id)
            assert saved is not None
            return show(visit, *saved, warnings=[refusals.in_file(w) for w in report.warnings], saved=True)
        return admin.redirect(f"/vacancies/{vacancy_id}", "vacancy_saved")

    async def close(visit: Visit) -> Response:
        vacancy_id = visit.request.path_params["vacancy"]
        now = admin.clock()
        with admin.db.transaction() as conn:
            if staff_view.version(conn, vacancy_id) is None:
                return admin.error(visit, 404, _("There is no such vacancy (it may have been removed)."))
            if not staff_view.close(conn, vacancy_id, today(), now):
                return admin.error(visit, 409, _("This vacancy is already closed: search and alerts do not show it."))
            audit.record(conn, visit.actor, "vacancies.close", {"vacancy": vacancy_id}, at=now)
        return admin.redirect(f"/vacancies/{vacancy_id}", "vacancy_closed")

    return [
        admin.route("/vacancies", vacancy_list, "vacancies.read"),
        admin.route("/vacancies/{vacancy:int}", vacancy_page, "vacancies.read"),
        admin.route("/vacancies/{vacancy:int}", save, "vacancies.edit", methods=("POST",)),
        admin.route("/vacancies/{vacancy:int}/close", close, "vacancies.edit", methods=("POST",)),
    ]
