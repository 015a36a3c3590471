"""Reviewing and publishing the draft, the history of published revisions, and restoring one."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.content.changes import flow_diffs, text_changes
from bot.content.loader import ContentInvalid, check_content
from bot.content.revisions import NothingToPublish
from bot.content.source import ContentSource
from bot.web.admin.site import Admin, NavItem, Visit
from db import revisions as store

NAV = [NavItem("Publish", "/admin/publish", "content.read"), NavItem("History", "/admin/revisions", "content.read")]


def routes(admin: Admin) -> list[Route]:
    def review(visit: Visit, status: int = 200, errors: list | None = None, problem: str = "") -> Response:
        with admin.db.transaction() as conn:
            live = admin.app.revisions.live(conn)
            draft = store.draft(conn)
        context: dict = {"live": live, "draft": draft, "problem": problem, "changes": [], "diffs": {}}
        if draft is not None:
            source = ContentSource(draft.files)
            context["changes"] = text_changes(live.source, source)
            context["diffs"] = flow_diffs(live.source, source)
            context["errors"] = errors if errors is not None else check_content(source, admin.app.revisions.actions)
            context["stale"] = draft.based_on != (live.revision.number if live.revision else None)
        else:
            context["errors"] = errors or []
        return admin.render(visit, "publish.html", status=status, **context)

    async def publish_page(visit: Visit) -> Response:
        return review(visit)

    async def publish(visit: Visit) -> Response:
        message = visit.form.get("message", limit=300).strip()
        try:
            with admin.db.transaction() as conn:
                admin.app.revisions.publish_draft(conn, visit.actor, message)
        except ContentInvalid as invalid:
            return review(visit, 422, errors=invalid.errors)
        except NothingToPublish as nothing:
            return review(visit, 400, problem=str(nothing))
        # This worker switches at once; the others on their next turn.
        admin.app.live.refresh()
        return admin.redirect("/revisions", "published")

    async def discard(visit: Visit) -> Response:
        with admin.db.transaction() as conn:
            admin.app.revisions.discard_draft(conn, visit.actor)
        return admin.redirect("/publish", "discarded")

    async def history(visit: Visit) -> Response:
        with admin.db.transaction() as conn:
            revisions = store.history(conn)
        live_number = revisions[0].number if revisions else None
        return admin.render(visit, "revisions.html", revisions=revisions, live_number=live_number,
                            running=admin.app.live.content.revision)

    async def revision_page(visit: Visit) -> Response:
        number = visit.request.path_params["revision"]
        with admin.db.transaction() as conn:
            revision = store.published(conn, number)
            if revision is None:
                return admin.error(visit, 404, "There is no such published revision.")
            # Compared with the revision before it in time (a restore: with the one it copied).
            earlier = revision.based_on if revision.message.startswith("restored") else (revision.number or 1) - 1
            previous = store.published(conn, earlier) if earlier else None
            live = admin.app.revisions.live(conn)
        source = ContentSource(revision.files)
        before = ContentSource(previous.files) if previous else admin.app.revisions.files()
        return admin.render(visit, "revision.html", revision=revision, live=live,
                            compared_to=previous.label if previous else "the files",
                            changes=text_changes(before, source), diffs=flow_diffs(before, source))

    async def restore(visit: Visit) -> Response:
        number = visit.request.path_params["revision"]
        try:
            with admin.db.transaction() as conn:
                admin.app.revisions.restore(conn, number, visit.actor)
        except (ContentInvalid, NothingToPublish) as refused:
            text = refused.report() if isinstance(refused, ContentInvalid) else str(refused)
            return admin.error(visit, 422, f"That revision cannot be restored: {text}")
        admin.app.live.refresh()
        return admin.redirect("/revisions", "restored")

    return [
        admin.route("/publish", publish_page, "content.read"),
        admin.route("/publish", publish, "content.publish", methods=("POST",)),
        admin.route("/publish/discard", discard, "content.edit", methods=("POST",)),
        admin.route("/revisions", history, "content.read"),
        admin.route("/revisions/{revision:int}", revision_page, "content.read"),
        admin.route("/revisions/{revision:int}/restore", restore, "content.publish", methods=("POST",)),
    ]

