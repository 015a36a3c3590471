"""Lists of records the bot shows, such as the organizations and places of the help flow
(dialogs/support_places.yaml): add, change and remove a record, each field as the file declares
it (text, translated text, web page, e-mail, date, states, or words from a list). Changes go to
the draft; a translated field's other languages are edited with the content's texts."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from bot.content import yamledit
from bot.content.data import RawData
from bot.content.source import ContentSource
from bot.content.values_editing import add_record, field_kinds, remove_record, set_record
from bot.web.admin.content_cache import Parsed
from bot.web.admin.content_edit import save_change
from bot.web.admin.forms import Form, FormError
from bot.web.admin.site import Admin, Visit
from bot.web.admin.translations import N_, _

# What the words of a list field mean, for the kinds of support of the help flow.
WORDS = {
    "shelter": N_("Shelter"), "humanitarian": N_("Food and humanitarian aid"), "legal": N_("Legal advice"),
    "women": N_("Women and families"), "labor": N_("Labor rights"), "job": N_("Employment offices"),
}
FIELD_NAMES = {
    "name": N_("Name (as the organization writes it)"), "offers": N_("What it offers (Spanish; translated)"),
    "kinds": N_("Kinds of support"), "states": N_("States (names separated by commas, or “all”)"),
    "address": N_("Address"), "phone": N_("Phone (only verified numbers)"), "email": N_("E-mail"),
    "web": N_("Official web page"), "reviewed": N_("Last reviewed (year-month-day, e.g. 2026-11-30)"),
    "source": N_("Source (where staff checked these details)"),
}


def routes(admin: Admin) -> list[Route]:
    def found(visit: Visit) -> tuple[Parsed, RawData | None, dict[str, Any]]:
        with admin.db.transaction() as conn:
            parsed = admin.content.working(conn)
        data = parsed.view.docs.data.get(visit.request.path_params["data"])
        if data is None:
            return parsed, None, {}
        return parsed, data, field_kinds(yamledit.load(parsed.pack.source.files[data.path]))

    def shown(data: RawData, kinds: dict[str, Any], source: ContentSource) -> dict[str, dict[str, Any]]:
        """item id -> field -> the text the form shows (states by name, as written)."""
        raw = yamledit.load(source.files[data.path])
        table: dict[str, dict[str, Any]] = {}
        for item in raw.get("items") or []:
            values: dict[str, Any] = {}
            for key, kind in kinds.items():
                value = item.get(key)
                if isinstance(kind, tuple):
                    values[key] = [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []
                elif isinstance(value, list):
                    values[key] = ", ".join(str(v) for v in value)
                else:
                    values[key] = "" if value is None else " ".join(str(value).split())
            table[str(item.get("id"))] = values
        return table

    async def listing(visit: Visit) -> Response:
        parsed, data, kinds = found(visit)
        if data is None:
            return admin.error(visit, 404, _("There is no such list."))
        return admin.render(visit, "places.html", pack=parsed.pack, data=data, kinds=kinds,
                            items=shown(data, kinds, parsed.pack.source), words=WORDS, field_names=FIELD_NAMES)

    async def item_page(visit: Visit) -> Response:
        parsed, data, kinds = found(visit)
        item_id = visit.request.path_params["item"]
        items = shown(data, kinds, parsed.pack.source) if data else {}
        if data is None or item_id not in items:
            return admin.error(visit, 404, _("There is no such item. It may have been removed."))
        return admin.render(visit, "place.html", pack=parsed.pack, data=data, kinds=kinds, item_id=item_id,
                            values=items[item_id], words=WORDS, field_names=FIELD_NAMES)

    def form_values(form: Form, kinds: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, kind in kinds.items():
            if isinstance(kind, tuple):
                chosen = form.every(key, limit=40)
                if any(word not in kind for word in chosen):
                    raise FormError(_("choose the kinds from the list"))
                values[key] = chosen
            elif key in form.values:
                values[key] = form.get(key, limit=2000)
        return values

    async def add(visit: Visit) -> Response:
        _parsed, data, kinds = found(visit)
        if data is None:
            return admin.error(visit, 404, _("There is no such list."))
        item_id = visit.form.require("item", limit=40)
        values = form_values(visit.form, kinds)

        def change(source: ContentSource) -> ContentSource:
            return add_record(source, data.name, item_id, values)

        return save_change(admin, visit, change, "content.data", {"data": data.name, "item": item_id, "op": "add"},
                           f"/content/data/{data.name}/items/{item_id}")

    async def save(visit: Visit) -> Response:
        _parsed, data, kinds = found(visit)
        item_id = visit.request.path_params["item"]
        if data is None:
            return admin.error(visit, 404, _("There is no such list."))
        if visit.form.get("op", limit=10) == "remove":
            def change(source: ContentSource) -> ContentSource:
                return remove_record(source, data.name, item_id)

            return save_change(admin, visit, change, "content.data",
                               {"data": data.name, "item": item_id, "op": "remove"}, f"/content/data/{data.name}")
        values = form_values(visit.form, kinds)

        def change(source: ContentSource) -> ContentSource:
            return set_record(source, data.name, item_id, values)

        return save_change(admin, visit, change, "content.data", {"data": data.name, "item": item_id, "op": "change"},
                           f"/content/data/{data.name}/items/{item_id}")

    return [
        admin.route("/content/data/{data}", listing, "content.read"),
        admin.route("/content/data/{data}", add, "content.edit", methods=("POST",)),
        admin.route("/content/data/{data}/items/{item}", item_page, "content.read"),
        admin.route("/content/data/{data}/items/{item}", save, "content.edit", methods=("POST",)),
    ]
