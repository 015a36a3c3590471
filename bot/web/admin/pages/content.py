"""The content editor: flows, steps and system texts in every language side by side; edits go to the draft."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.content import editing
from bot.content.document import RawStep
from bot.content.editing import EditRefused
from bot.content.overview import FUZZY, Overview, TextRow
from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.web.admin.content_cache import Parsed
from bot.web.admin.edit_refusals import told
from bot.web.admin.forms import FormError
from bot.web.admin.save_checks import refusal
from bot.web.admin.site import CONTENT_LANGUAGE_NAMES, Admin, NavItem, Visit
from bot.web.admin.translations import N_, _

NAV = [NavItem(N_("Content"), "/admin/content", "content.read")]
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


def normalized(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def step_fields(step: RawStep) -> dict[str, str]:
    """Current values of the staff-editable step keys (review date, note; the source too while the
    step has none: once it has one, it is a translated text, edited with the step's texts)."""
    keys = [key for key in editing.editable_fields() if not (key == "source" and step.source is not None)]
    return {key: "" if step.data.get(key) is None else str(step.data.get(key)) for key in keys}


def routes(admin: Admin) -> list[Route]:
    def working() -> Parsed:
        with admin.db.transaction() as conn:
            return admin.content.working(conn)

    def page(visit: Visit, name: str, parsed: Parsed, status: int = 200, **context: object) -> Response:
        return admin.render(visit, name, status=status, pack=parsed.pack, view=parsed.view, languages=LANGUAGES,
                            names=CONTENT_LANGUAGE_NAMES, text_names=parsed.names, **context)

    async def flows(visit: Visit) -> Response:
        parsed = working()
        view = parsed.view
        per_flow = {flow.id: view.counts(view.group(flow.id)) for flow in view.docs.flows}
        return page(visit, "content.html", parsed, per_flow=per_flow, system_counts=view.counts(view.group("system")))

    async def flow_page(visit: Visit) -> Response:
        parsed = working()
        view = parsed.view
        flow = view.flow(visit.request.path_params["flow"])
        if flow is None:
            return admin.error(visit, 404, _("There is no such conversation. It may have been renamed."))
        steps = [(step, view.step_rows(step), view.counts(view.step_rows(step))) for step in flow.steps]
        title = [view.rows[flow.title.ctx]] if flow.title else []
        return page(visit, "flow.html", parsed, flow=flow, steps=steps, title_rows=title,
                    responses=view.responses_of(flow), back=visit.request.url.path)

    async def step_page(visit: Visit) -> Response:
        parsed = working()
        view = parsed.view
        flow = view.flow(visit.request.path_params["flow"])
        step = next((s for s in flow.steps if s.id == visit.request.path_params["step"]), None) if flow else None
        if flow is None or step is None:
            return admin.error(visit, 404, _("There is no such step. It may have been renamed."))
        rows = view.step_rows(step)
        return page(visit, "step.html", parsed, flow=flow, step=step, rows=rows, counts=view.counts(rows),
                    fields=step_fields(step), back=visit.request.url.path,
                    targets=[f"{f.id}.{s.id}" for f in view.docs.flows for s in f.steps])

    async def system_page(visit: Visit) -> Response:
        parsed = working()
        rows = parsed.view.group("system")
        return page(visit, "system.html", parsed, rows=rows, counts=parsed.view.counts(rows),
                    back=visit.request.url.path)

    def back_path(visit: Visit) -> str:
        target = visit.form.get("back", limit=300)
        if not target.startswith("/admin/content") or "//" in target or "\\" in target:
            raise FormError(_("the form does not say which page it came from"))
        return target.removeprefix("/admin")

    async def save_texts(visit: Visit) -> Response:
        back = back_path(visit)
        form = visit.form
        with admin.db.transaction() as conn:
            pack = admin.app.revisions.working(conn, lock=True)
            parsed = admin.content.of(pack)
            view = parsed.view
            source, changed, conflicts = pack.source, [], []
            try:
                for key, new in form.prefixed("es:").items():
                    row = _row(view, key)
                    if normalized(new) == row.item.source:
                        continue
                    if normalized(form.get("was:es:" + key, limit=editing.MAX_TEXT * 2)) != row.item.source:
                        conflicts.append(row)
                        continue
                    source = editing.set_source_text(source, key, new)
                    changed.append(f"es:{key}")
                for lang in TRANSLATED:
                    for key, new in form.prefixed(f"{lang}:").items():
                        cell = _row(view, key).cells[lang]
                        confirm = form.get(f"ok:{lang}:{key}") == "1" and cell.state == FUZZY
                        if normalized(new) == cell.text and not confirm:
                            continue
                        if normalized(form.get(f"was:{lang}:{key}", limit=editing.MAX_TEXT * 2)) != cell.text:
                            conflicts.append(_row(view, key))
                            continue
                        source = editing.set_translation(source, lang, key, new)
                        changed.append(f"{lang}:{key}")
            except EditRefused as refused:
                return admin.error(visit, 400, _("Nothing was saved: %(reason)s") % {"reason": told(refused)})
            if conflicts:
                names = "; ".join(sorted({parsed.names.full(r.ctx) for r in conflicts}))
                return admin.error(visit, 409, _("Nothing was saved: someone else changed these texts since you "
                                                 "opened the page: %(texts)s. Reload the page to see their version.")
                                   % {"texts": names})
            reason = refusal(admin, parsed, source) if changed else ""
            if reason:
                return admin.error(visit, 400, reason)
            if changed:
                admin.app.revisions.save_draft(conn, source, visit.actor, "content.edit", {"texts": changed[:50]})
        return admin.redirect(back, "saved" if changed else "")

    async def save_choices(visit: Visit) -> Response:
        flow_id, step_id = visit.request.path_params["flow"], visit.request.path_params["step"]
        form = visit.form
        op = form.require("op", limit=10)
        choice = form.get("choice", limit=64)
        with admin.db.transaction() as conn:
            pack = admin.app.revisions.working(conn, lock=True)
            try:
                if op == "add":
                    source = editing.add_choice(pack.source, flow_id, step_id, form.require("choice", limit=64),
                                                form.require("label", limit=editing.MAX_TEXT), form.get("go", limit=200))
                elif op == "remove":
                    source = editing.remove_choice(pack.source, flow_id, step_id, choice)
                elif op in ("up", "down"):
                    source = editing.move_choice(pack.source, flow_id, step_id, choice, -1 if op == "up" else 1)
                elif op == "go":
                    source = editing.set_choice_go(pack.source, flow_id, step_id, choice, form.get("go", limit=200))
                else:
                    raise FormError(_("unknown button operation '%(op)s'") % {"op": op})
            except EditRefused as refused:
                return admin.error(visit, 400, _("Nothing was saved: %(reason)s") % {"reason": told(refused)})
            reason = refusal(admin, admin.content.of(pack), source)
            if reason:
                return admin.error(visit, 400, reason)
            if source.digest() != pack.source.digest():
                admin.app.revisions.save_draft(conn, source, visit.actor, "content.choices",
                                               {"step": f"{flow_id}.{step_id}", "op": op, "choice": choice})
        return admin.redirect(f"/content/flows/{flow_id}/steps/{step_id}", "saved")

    async def save_fields(visit: Visit) -> Response:
        flow_id, step_id = visit.request.path_params["flow"], visit.request.path_params["step"]
        with admin.db.transaction() as conn:
            pack = admin.app.revisions.working(conn, lock=True)
            before = admin.content.of(pack)
            view = before.view
            flow = view.flow(flow_id)
            step = next((s for s in flow.steps if s.id == step_id), None) if flow else None
            if step is None:
                return admin.error(visit, 404, _("There is no such step. It may have been renamed."))
            current = step_fields(step)
            source, changed = pack.source, []
            try:
                for key in current:
                    new = normalized(visit.form.get(key, current[key], limit=2000))
                    if new != current[key]:
                        source = editing.set_step_field(source, flow_id, step_id, key, new)
                        changed.append(key)
            except EditRefused as refused:
                return admin.error(visit, 400, _("Nothing was saved: %(reason)s") % {"reason": told(refused)})
            reason = refusal(admin, before, source) if changed else ""
            if reason:
                return admin.error(visit, 400, reason)
            if changed:
                admin.app.revisions.save_draft(conn, source, visit.actor, "content.fields",
                                               {"step": f"{flow_id}.{step_id}", "fields": changed})
        return admin.redirect(f"/content/flows/{flow_id}/steps/{step_id}", "saved" if changed else "")

    return [
        admin.route("/content", flows, "content.read"),
        admin.route("/content/system", system_page, "content.read"),
        admin.route("/content/flows/{flow}", flow_page, "content.read"),
        admin.route("/content/flows/{flow}/steps/{step}", step_page, "content.read"),
        admin.route("/content/texts", save_texts, "content.edit", methods=("POST",)),
        admin.route("/content/flows/{flow}/steps/{step}/choices", save_choices, "content.edit", methods=("POST",)),
        admin.route("/content/flows/{flow}/steps/{step}/fields", save_fields, "content.edit", methods=("POST",)),
    ]


def _row(view: Overview, ctx: str) -> TextRow:
    row = view.rows.get(ctx)
    if row is None:
        raise FormError(_("there is no text '%(name)s' (it may have been removed meanwhile)") % {"name": ctx[:100]})
    return row
