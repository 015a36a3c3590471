"""Reviewing and publishing the draft, the history of published revisions, and restoring one."""

from __future__ import annotations

import re

from sqlalchemy import Connection
from starlette.responses import Response
from starlette.routing import Route

from bot.content.loader import ContentInvalid
from bot.content.revisions import NothingToPublish, Pack
from bot.content.source import ContentSource
from bot.web.admin.site import CONTENT_LANGUAGE_NAMES, Admin, NavItem, Visit
from bot.web.admin.text_names import TextNames
from bot.web.admin.translations import N_, _
from db import revisions as store

NAV = [NavItem(N_("Publish"), "/admin/publish", "content.read"),
       NavItem(N_("History"), "/admin/revisions", "content.read")]
# What the content module says when there is nothing to publish, in the admin's words.
NOTHING = {
    "there is no draft: edit a text first": N_("There is no draft: edit a text first."),
    "the draft is the same as the live content": N_("The draft is the same as the live content."),
}


def routes(admin: Admin) -> list[Route]:
    def review(visit: Visit, status: int = 200, errors: list | None = None, problem: str = "") -> Response:
        with admin.db.transaction() as conn:
            live = admin.content.of(admin.app.revisions.live(conn))
            draft = store.draft(conn)
        context: dict = {"live": live.pack, "draft": draft, "problem": problem, "changes": [], "diffs": {},
                         "names": CONTENT_LANGUAGE_NAMES, "text_names": live.names}
        if draft is not None:
            parsed = admin.content.of(Pack(ContentSource(draft.files), draft))
            context["changes"], context["diffs"] = admin.content.changes(live, parsed)
            context["errors"] = errors if errors is not None else admin.content.errors(parsed)
            context["stale"] = draft.based_on != (live.pack.revision.number if live.pack.revision else None)
            context["text_names"] = _names(parsed.names, live.names)
        else:
            context["errors"] = errors or []
        return admin.render(visit, "publish.html", status=status, **context)

    def said(message: str) -> str:
        """A revision's message; the ones Puente writes itself ("restored r2") in the admin's language."""
        if message == store.SHIPPED_MESSAGE:
            return _("the content shipped with Puente")
        restored = re.fullmatch(r"restored (r\d+)", message)
        return _("restored %(label)s") % {"label": restored.group(1)} if restored else message

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
            return review(visit, 400, problem=_(NOTHING.get(str(nothing), str(nothing))))
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
            shipped = admin.app.revisions.shipped(conn)
        if shipped is not None and all(r.number != store.SHIPPED for r in revisions):
            revisions.append(shipped)
        live_number = revisions[0].number if revisions else None
        return admin.render(visit, "revisions.html", revisions=revisions, live_number=live_number,
                            running=admin.app.live.content.revision, said=said)

    async def revision_page(visit: Visit) -> Response:
        number = visit.request.path_params["revision"]
        with admin.db.transaction() as conn:
            revision = published(conn, number)
            if revision is None:
                return admin.error(visit, 404, _("There is no such published revision."))
            # Compared with the revision before it in time (a restore: with the one it copied);
            # revision 0, the shipped content, with nothing.
            earlier = revision.based_on if revision.message.startswith("restored") else number - 1
            previous = published(conn, earlier) if earlier is not None and earlier >= 0 else revision
            live_number = store.newest_number(conn)
        after = admin.content.of(Pack(ContentSource(revision.files), revision))
        before = admin.content.of(Pack(ContentSource(previous.files), previous) if previous
                                  else Pack(admin.app.revisions.files(), None))
        if previous is revision:
            previous = None
        changes, diffs = admin.content.changes(before, after)
        return admin.render(visit, "revision.html", revision=revision, live_number=live_number,
                            compared_to=previous.label if previous else "", changes=changes, diffs=diffs,
                            names=CONTENT_LANGUAGE_NAMES, text_names=_names(after.names, before.names),
                            said=said)

    def published(conn: Connection, number: int) -> store.Revision | None:
        return admin.app.revisions.shipped(conn) if number == store.SHIPPED else store.published(conn, number)

    async def restore(visit: Visit) -> Response:
        number = visit.request.path_params["revision"]
        try:
            with admin.db.transaction() as conn:
                admin.app.revisions.restore(conn, number, visit.actor)
        except (ContentInvalid, NothingToPublish) as refused:
            text = refused.report() if isinstance(refused, ContentInvalid) else str(refused)
            return admin.error(visit, 422, _("That revision cannot be restored: %(reason)s") % {"reason": text})
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



def _names(new: TextNames, old: TextNames) -> TextNames:
    """Names for a list of changes: a text removed in `new` is named as `old` had it."""
    merged = TextNames()
    for part in ("flows", "steps", "buttons", "records", "sources"):
        setattr(merged, part, {**getattr(old, part), **getattr(new, part)})
    merged.starts = new.starts | {ref for ref in old.starts if ref not in new.steps}
    return merged
