"""The partner organizations (tenants of this deployment): administrators add and edit them
and see them all; anyone else with the permission sees only their own organization's page,
read-only. A page has the organization's help-flow place, its staff, its referral links and
posters. Every change is in the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from bot.nlu.places import Places
from bot.web.admin import poster
from bot.web.admin.referral_links import referral_links
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_, _
from db import audit
from db import organizations as store
from db.organizations import Organization, OrganizationError

NAV = [NavItem(N_("Organizations"), "/admin/organizations", "organizations.read")]
KIND_NAMES = {
    "sne_office": N_("Employment service (SNE) office"),
    "shelter": N_("Shelter"),
    "ngo": N_("Civil-society organization"),
    "public_office": N_("Public office"),
}
assert set(KIND_NAMES) == set(store.KINDS)
PLACES = "support_places"
POSTER_LINE = "poster_line"
MEDIA_TYPES = {"png": "image/png", "pdf": "application/pdf"}


def places_of(admin: Admin) -> dict[str, Mapping[str, Any]]:
    """The help flow's places in the running content, by id (dialogs/support_places.yaml)."""
    data = admin.app.live.content.data.get(PLACES)
    return {item["id"]: item for item in data.items} if data else {}


def read_fields(visit: Visit, known_places: Mapping[str, Any]) -> dict[str, Any]:
    code, name = store.check(visit.form.get("code", limit=40), visit.form.get("name", limit=300),
                             visit.form.get("kind", limit=20))
    place = visit.form.get("place", limit=64) or None
    if place is not None and place not in known_places:
        raise OrganizationError(_("choose a place from the list of the help flow"))
    return {"code": code, "name": name, "kind": visit.form.get("kind", limit=20), "place": place}


def routes(admin: Admin) -> list[Route]:
    def listing(visit: Visit, status: int = 200, error: str = "", values: Mapping[str, Any] | None = None) -> Response:
        places = places_of(admin)
        with admin.db.transaction() as conn:
            found = store.all_organizations(conn)
            own = store.organization_of(conn, visit.staff) if visit.staff else None
        linked = {o.place for o in found}
        unlinked = [item for key, item in places.items() if key not in linked]
        wanted = visit.request.query_params.get("place", "")
        if values is None and wanted in places and wanted not in linked:
            values = {"place": wanted, "name": places[wanted]["name"]}
        return admin.render(visit, "organizations.html", status=status, organizations=found, own=own,
                            places=places, unlinked=unlinked, kinds=KIND_NAMES, error=error,
                            values=values or {})

    async def organization_list(visit: Visit) -> Response:
        staff = visit.staff
        assert staff is not None
        if not visit.can("organizations.manage") and staff.organization_id is not None:
            return admin.redirect(f"/organizations/{staff.organization_id}")
        return listing(visit)

    async def organization_add(visit: Visit) -> Response:
        values = {key: visit.form.get(key, limit=300) for key in ("code", "name", "kind", "place")}
        now = admin.clock()
        try:
            fields = read_fields(visit, places_of(admin))
            with admin.db.transaction() as conn:
                refuse_shared_place(conn, fields["place"], None)
                organization_id = store.add(conn, fields["code"], fields["name"], fields["kind"], now, fields["place"])
                audit.record(conn, visit.actor, "organizations.add",
                             {"code": fields["code"], "kind": fields["kind"], "place": fields["place"]}, at=now)
        except OrganizationError as refused:
            return listing(visit, 400, str(refused), values)
        return admin.redirect(f"/organizations/{organization_id}", "organization_saved")

    async def page(visit: Visit, organization: Organization, status: int = 200, error: str = "",
                   values: Mapping[str, Any] | None = None) -> Response:
        places = places_of(admin)
        with admin.db.transaction() as conn:
            members = store.members(conn, organization.id)
            fixed = store.code_in_use(conn, organization.code)
        links = await referral_links(admin.app, organization.code)
        previews = {channel: poster.preview(link.url) for channel, link in links.items()}
        place = places.get(organization.place or "")
        state_names = {code: state.name for code, state in Places.load().states.items()}
        return admin.render(
            visit, "organization.html", status=status, organization=organization, members=members,
            kinds=KIND_NAMES, places=places, place=place, state_names=state_names, links=links, previews=previews,
            code_fixed=fixed, telegram_on=admin.app.channels.telegram is not None,
            error=error, values=values or asdict(organization),
        )

    def visible(visit: Visit) -> Organization | Response:
        """The organization of the address, when this account may see it."""
        with admin.db.transaction() as conn:
            found = store.get(conn, visit.request.path_params["organization"])
        if found is None:
            return admin.error(visit, 404, _("There is no such organization."))
        assert visit.staff is not None
        if not store.may_see(visit.staff, found.id):
            return admin.error(visit, 403, _("This page belongs to another organization. Ask an administrator."))
        return found

    async def organization_page(visit: Visit) -> Response:
        found = visible(visit)
        return found if isinstance(found, Response) else await page(visit, found)

    async def organization_edit(visit: Visit) -> Response:
        found = visible(visit)
        if isinstance(found, Response):
            return found
        values = {key: visit.form.get(key, limit=300) for key in ("code", "name", "kind", "place")}
        now = admin.clock()
        try:
            fields = read_fields(visit, places_of(admin))
            with admin.db.transaction() as conn:
                if fields["code"] != found.code:
                    if store.code_in_use(conn, found.code):
                        raise OrganizationError(_(
                            "The code cannot change any more: people arrived with it, the figures count under "
                            "it and posters carry it. Make a new organization for a new code."))
                    if store.by_code(conn, fields["code"]) is not None:
                        raise OrganizationError(_("That code is taken by another organization."))
                refuse_shared_place(conn, fields["place"], found.id)
                changed = {key: [getattr(found, key), value] for key, value in fields.items()
                           if getattr(found, key) != value}
                if changed:
                    store.change(conn, found.id, now, **fields)
                    audit.record(conn, visit.actor, "organizations.change", {"code": fields["code"], "changed": changed},
                                 at=now)
        except OrganizationError as refused:
            return await page(visit, found, 400, str(refused), values)
        return admin.redirect(f"/organizations/{found.id}", "organization_saved")

    def refuse_shared_place(conn: Any, place: str | None, organization_id: int | None) -> None:
        other = store.by_place(conn, place) if place else None
        if other is not None and other.id != organization_id:
            raise OrganizationError(_("That place of the help flow is already %(name)s's.") % {"name": other.name})

    async def draw(visit: Visit, kind: str) -> Response:
        found = visible(visit)
        if isinstance(found, Response):
            return found
        channel = visit.request.query_params.get("channel", "whatsapp")
        link = (await referral_links(admin.app, found.code)).get(channel)
        if link is None:
            return admin.error(visit, 404, _("This deployment has no link for that channel: see the settings on the "
                                             "organization's page."))
        content = admin.app.live.content
        text = content.messages.get(POSTER_LINE)
        if text is None:
            return admin.error(visit, 404, _("The running content has no poster text (system message poster_line)."))
        lines = tuple((content.language_names.get(lang, lang), text.get(lang)[0]) for lang in content.languages)
        drawing = poster.Poster(found.name, link, lines)
        # About a third of a second of drawing: off the event loop, so webhooks are not held up.
        body = await run_in_threadpool(poster.png if kind == "png" else poster.pdf, drawing)
        name = f"puente-{found.code}-{channel}.{kind}"
        return Response(body, media_type=MEDIA_TYPES[kind],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def poster_png(visit: Visit) -> Response:
        return await draw(visit, "png")

    async def poster_pdf(visit: Visit) -> Response:
        return await draw(visit, "pdf")

    return [
        admin.route("/organizations", organization_list, "organizations.read"),
        admin.route("/organizations", organization_add, "organizations.manage", methods=("POST",)),
        admin.route("/organizations/{organization:int}", organization_page, "organizations.read"),
        admin.route("/organizations/{organization:int}", organization_edit, "organizations.manage", methods=("POST",)),
        admin.route("/organizations/{organization:int}/poster.png", poster_png, "organizations.read"),
        admin.route("/organizations/{organization:int}/poster.pdf", poster_pdf, "organizations.read"),
    ]
