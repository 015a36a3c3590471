"""Registrations (caseworkers, administrators): list, filter, open one. Every list shown and
every registration opened is written to the audit log (which filters, which folio: never a name).

The filter form is posted, not put in the address: a name searched for would otherwise sit in
the browser's history and in the access log of any proxy in front of Puente. The posted filters
are kept in the staff member's server-side session and answered with a redirect (post, redirect,
get), so coming back from a registration, or with the browser's Back, shows the same list without
sending the form again. A GET with filters in its address (a bookmark) lists with those, never a name."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

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
from bot.web.admin.translations import N_, _
from db import audit
from db import registrations as store
from db import staff as sessions

NAV = [NavItem(N_("Registrations"), "/admin/registrations", "registrations.read")]
PER_PAGE = 50
FILTERS = ("name", "state", "nationality", "document", "trade", "since", "until")
# The filters' labels on the page, which messages about them name.
LABELS = {"since": N_("Changed from"), "until": N_("Changed up to")}
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
        label = _(LABELS[name])
        if not _DAY.match(text):
            raise FormError(_("“%(field)s” must be a day written YYYY-MM-DD, e.g. 2026-11-01.") % {"field": label})
        try:
            return moment(text, end_of_day=end)
        except BadOption:
            raise FormError(_("“%(field)s” is not a date that exists: %(text)s.") % {"field": label, "text": text}) from None

    state, nationality = params.get("state", ""), params.get("nationality", "").upper()
    document, trade = params.get("document", ""), params.get("trade", "")
    if state and state not in Places.load().states:
        raise FormError(_("“State”: choose a state from the list."))
    if nationality and not re.fullmatch(r"[A-Z]{2}", nationality):
        raise FormError(_("“Nationality” is a two-letter country code (HT, HN, VE, ...)."))
    if document and document not in DOCUMENT_NAMES:
        raise FormError(_("“Document”: choose a document from the list."))
    if trade and trade not in Occupations.load().trades:
        raise FormError(_("“Trade”: choose a trade from the list."))
    return store.Listing(name=params.get("name", "")[:100].strip(), state=state, nationality=nationality,
                         document=document, trade=trade, since=day("since"), until=day("until", end=True))


def listing_detail(where: store.Listing, shown: int, page: int) -> dict[str, Any]:
    """What the audit log keeps about a list: the filters, never the name searched for."""
    return {"shown": shown, "page": page, "name_searched": bool(where.name), "state": where.state or None,
            "nationality": where.nationality or None, "document": where.document or None,
            "trade": where.trade or None, "since": where.since.isoformat() if where.since else None,
            "until": where.until.isoformat() if where.until else None}


def routes(admin: Admin) -> list[Route]:
    def kept(visit: Visit) -> dict[str, str]:
        assert visit.session is not None
        return dict((visit.session.filters or {}).get("registrations") or {})

    def keep(visit: Visit, params: dict[str, str]) -> None:
        assert visit.session is not None
        filters = {**(visit.session.filters or {}), "registrations": params}
        with admin.db.transaction() as conn:
            sessions.save_filters(conn, visit.session.token_hash, filters)

    async def registration_list(visit: Visit) -> Response:
        query = visit.request.query_params
        from_address = any(key in query for key in FILTERS if key != "name")
        if from_address:
            params: dict[str, str] = {k: v for k, v in query.items() if k in FILTERS and k != "name"}
        else:
            params = {k: str(v) for k, v in kept(visit).items() if k in FILTERS}
        where = read_listing(params)
        raw_page = query.get("page", "1") or "1"
        page = min(int(raw_page), 10_000) if raw_page.isdigit() and int(raw_page) > 0 else 1
        with admin.db.transaction() as conn:
            found, total = store.listing(conn, where, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
            audit.record(conn, visit.actor, "registrations.list", listing_detail(where, len(found), page),
                         at=admin.clock())
        filters = {key: params.get(key, "") for key in FILTERS}
        # Page links carry the address's own filters (never a name), or none: the session has them.
        address = "".join(f"{k}={quote(v)}&" for k, v in filters.items() if v and k != "name") if from_address else ""
        return admin.render(visit, "registrations.html", rows=found, total=total, page=page,
                            pages=max(1, -(-total // PER_PAGE)), params=filters, address=address,
                            filtered=any(filters.values()), **labels())

    async def filter_list(visit: Visit) -> Response:
        if visit.form.get("op", limit=10) == "clear":
            keep(visit, {})
            return admin.redirect("/registrations")
        params = {key: visit.form.get(key, limit=400 if key == "name" else 20) for key in FILTERS}
        params["name"] = params["name"][:100].strip()
        read_listing(params)  # a bad filter is refused here, before it is kept
        keep(visit, {key: value for key, value in params.items() if value})
        return admin.redirect("/registrations")

    async def registration_page(visit: Visit) -> Response:
        registration_id = visit.request.path_params["registration"]
        with admin.db.transaction() as conn:
            found = store.by_id(conn, registration_id)
            if found is None:
                return admin.error(visit, 404, _("There is no such registration (the person may have deleted their data)."))
            audit.record(conn, visit.actor, "registrations.view", {"registration": registration_id}, at=admin.clock())
        return admin.render(visit, "registration.html", r=found, **labels())

    return [
        admin.route("/registrations", registration_list, "registrations.read"),
        admin.route("/registrations", filter_list, "registrations.read", methods=("POST",)),
        admin.route("/registrations/{registration:int}", registration_page, "registrations.read"),
    ]
