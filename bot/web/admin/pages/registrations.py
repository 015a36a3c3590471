"""Registrations (caseworkers, administrators): list, filter, open one. Every list shown and
every registration opened is written to the audit log (which filters, which folio: never a name).

The filter form is posted, not put in the address: a name searched for would otherwise sit in
the browser's history and in the access log of any proxy in front of Puente. A plain GET (a
bookmark, the menu) lists with the other filters and never reads a name."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from bot.nlu import languages as spoken
from bot.nlu.countries import Countries
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.profile import DOCUMENT_NAMES
from bot.registration.education import EDUCATION
from bot.registration.filters import BadOption, moment
from bot.web.admin.forms import FormError
from bot.web.admin.site import Admin, NavItem, Visit
from db import audit
from db import registrations as store

NAV = [NavItem("Registrations", "/admin/registrations", "registrations.read")]
PER_PAGE = 50
FILTERS = ("name", "state", "nationality", "document", "trade", "since", "until")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def labels() -> dict[str, Any]:
    """Names for codes, in Spanish as in the export (the employment service's catalogues)."""
    places, occupations, countries = Places.load(), Occupations.load(), Countries.load()
    return {
        "states": sorted(((c, s.name) for c, s in places.states.items()), key=lambda item: item[1]),
        "state_names": {c: s.name for c, s in places.states.items()},
        "documents": DOCUMENT_NAMES,
        "education": EDUCATION,
        "trades": sorted(((t.id, t.label("es")) for t in occupations.trades.values()), key=lambda item: item[1]),
        "trade_names": {t.id: t.label("es") for t in occupations.trades.values()},
        "country": lambda code: countries.label(code, "es"),
        "language": lambda code: spoken.label(code, "es"),
    }


def read_listing(params: Any) -> store.Listing:
    """The list's filters from the address; a value that is no date, state or code is refused."""
    def day(name: str, *, end: bool = False) -> Any:
        text = params.get(name, "").strip()
        if not text:
            return None
        if not _DAY.match(text):
            raise FormError(f"'{name}' must be a day written YYYY-MM-DD, e.g. 2026-11-01")
        try:
            return moment(text, end_of_day=end)
        except BadOption as error:
            raise FormError(str(error)) from None

    state, nationality = params.get("state", ""), params.get("nationality", "").upper()
    document, trade = params.get("document", ""), params.get("trade", "")
    if state and state not in Places.load().states:
        raise FormError("choose a state from the list")
    if nationality and not re.fullmatch(r"[A-Z]{2}", nationality):
        raise FormError("'nationality' is a two-letter country code (HT, HN, VE, ...)")
    if document and document not in DOCUMENT_NAMES:
        raise FormError("choose a document from the list")
    if trade and trade not in Occupations.load().trades:
        raise FormError("choose a trade from the list")
    return store.Listing(name=params.get("name", "")[:100].strip(), state=state, nationality=nationality,
                         document=document, trade=trade, since=day("since"), until=day("until", end=True))


def listing_detail(where: store.Listing, shown: int, page: int) -> dict[str, Any]:
    """What the audit log keeps about a list: the filters, never the name searched for."""
    return {"shown": shown, "page": page, "name_searched": bool(where.name), "state": where.state or None,
            "nationality": where.nationality or None, "document": where.document or None,
            "trade": where.trade or None, "since": where.since.isoformat() if where.since else None,
            "until": where.until.isoformat() if where.until else None}


def routes(admin: Admin) -> list[Route]:
    async def registration_list(visit: Visit) -> Response:
        if visit.request.method == "POST":
            params: Any = {key: visit.form.get(key, limit=400 if key == "name" else 20) for key in (*FILTERS, "page")}
        else:
            params = {k: v for k, v in visit.request.query_params.items() if k in FILTERS and k != "name"}
            params["page"] = visit.request.query_params.get("page", "1")
        where = read_listing(params)
        raw_page = params.get("page", "1") or "1"
        page = min(int(raw_page), 10_000) if raw_page.isdigit() and int(raw_page) > 0 else 1
        with admin.db.transaction() as conn:
            found, total = store.listing(conn, where, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
            audit.record(conn, visit.actor, "registrations.list", listing_detail(where, len(found), page),
                         at=admin.clock())
        filters = {key: params.get(key, "") for key in FILTERS}
        return admin.render(visit, "registrations.html", rows=found, total=total, page=page,
                            pages=max(1, -(-total // PER_PAGE)), params=filters, **labels())

    async def registration_page(visit: Visit) -> Response:
        registration_id = visit.request.path_params["registration"]
        with admin.db.transaction() as conn:
            found = store.by_id(conn, registration_id)
            if found is None:
                return admin.error(visit, 404, "There is no such registration (the person may have deleted their data).")
            audit.record(conn, visit.actor, "registrations.view", {"registration": registration_id}, at=admin.clock())
        return admin.render(visit, "registration.html", r=found, **labels())

    return [
        admin.route("/registrations", registration_list, "registrations.read", methods=("GET", "POST")),
        admin.route("/registrations/{registration:int}", registration_page, "registrations.read"),
    ]
