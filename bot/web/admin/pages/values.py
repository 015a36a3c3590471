"""Named values the texts show (the minimum wage: `{minimum_wage_general:money}`), each with where
it comes from and when staff last checked it. Changes go to the draft."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.content.source import ContentSource
from bot.content.values_editing import set_value
from bot.web.admin.content_edit import save_change
from bot.web.admin.forms import FormError
from bot.web.admin.site import Admin, Visit
from bot.web.admin.translations import _


def routes(admin: Admin) -> list[Route]:
    async def page(visit: Visit) -> Response:
        with admin.db.transaction() as conn:
            parsed = admin.content.working(conn)
        docs = parsed.view.docs
        notes = sorted(docs.value_notes.values(), key=lambda note: (note.flow, note.name))
        # Which texts show each value, so staff know what changes with it.
        flows = {flow.id for flow in docs.flows}
        used = {note.name: [item.ctx for item in docs.texts() if "{" + note.name in item.source
                            and len(item.ctx.split(".")) >= 3 and item.ctx.split(".")[0] in flows]
                for note in notes}
        return admin.render(visit, "values.html", pack=parsed.pack, notes=notes, used=used,
                            text_names=parsed.names, data=sorted(docs.data.values(), key=lambda d: d.name))

    async def save(visit: Visit) -> Response:
        form = visit.form
        name = form.require("name", limit=64)
        value = form.require("value", limit=40)
        source_text = form.get("source", limit=500)
        reviewed = form.get("reviewed", limit=10)
        if not reviewed.strip():
            raise FormError(_("write the day you checked the value (year-month-day)"))

        def change(source: ContentSource) -> ContentSource:
            return set_value(source, name, value, source_text, reviewed)

        return save_change(admin, visit, change, "content.value", {"value": name}, "/content/values")

    return [
        admin.route("/content/values", page, "content.read"),
        admin.route("/content/values", save, "content.edit", methods=("POST",)),
    ]
