"""Steps and topics of a conversation: add a topic (its text, source, review date and a button in
a menu that leads to it), rename, move up or down and remove steps. Changes go to the draft,
checked as `puente dialogs check` checks them."""

from __future__ import annotations


from starlette.responses import Response
from starlette.routing import Route

from bot.content import structure
from bot.content.editing import MAX_TEXT
from bot.days import mexico_today
from bot.web.admin.content_cache import Parsed
from bot.web.admin.content_edit import save_change
from bot.web.admin.forms import FormError
from bot.web.admin.site import Admin, Visit
from bot.web.admin.translations import _


def routes(admin: Admin) -> list[Route]:
    def working() -> Parsed:
        with admin.db.transaction() as conn:
            return admin.content.working(conn)

    async def page(visit: Visit) -> Response:
        parsed = working()
        flow = parsed.view.flow(visit.request.path_params["flow"])
        if flow is None:
            return admin.error(visit, 404, _("There is no such conversation. It may have been renamed."))
        menus = [step for step in flow.steps if step.choices]
        first = flow.start or flow.steps[0].id
        return admin.render(visit, "topics.html", pack=parsed.pack, flow=flow, menus=menus, first=first,
                            text_names=parsed.names, today=mexico_today().isoformat(),
                            targets=[f"{f.id}.{s.id}" for f in parsed.view.docs.flows for s in f.steps])

    async def save(visit: Visit) -> Response:
        flow_id = visit.request.path_params["flow"]
        form = visit.form
        op = form.require("op", limit=10)
        step = form.get("step", limit=64)
        back = f"/content/flows/{flow_id}/structure"
        if op == "add":
            new = form.require("step", limit=64)
            menu = form.get("menu", limit=64)

            def change(source):  # type: ignore[no-untyped-def]
                return structure.add_step(
                    source, flow_id, new, form.get("say", limit=MAX_TEXT), menu=menu,
                    label=form.get("label", limit=200), then=form.get("then", limit=200),
                    after=form.get("after", limit=64), source_text=form.get("source", limit=500),
                    reviewed=form.get("reviewed", limit=10))

            detail: dict[str, object] = {"flow": flow_id, "step": new, "op": op}
            back = f"/content/flows/{flow_id}/steps/{new}"
        elif op in ("up", "down"):
            def change(source):  # type: ignore[no-untyped-def]
                return structure.move_step(source, flow_id, step, -1 if op == "up" else 1)

            detail = {"flow": flow_id, "step": step, "op": op}
        elif op == "rename":
            new = form.require("new", limit=64)

            def change(source):  # type: ignore[no-untyped-def]
                return structure.rename_step(source, flow_id, step, new)

            detail = {"flow": flow_id, "step": step, "op": op, "new": new}
        elif op == "remove":
            def change(source):  # type: ignore[no-untyped-def]
                return structure.remove_step(source, flow_id, step)[0]

            detail = {"flow": flow_id, "step": step, "op": op}
        else:
            raise FormError(_("unknown operation '%(op)s'") % {"op": op})
        return save_change(admin, visit, change, "content.structure", detail, back)

    return [
        admin.route("/content/flows/{flow}/structure", page, "content.read"),
        admin.route("/content/flows/{flow}/structure", save, "content.edit", methods=("POST",)),
    ]
