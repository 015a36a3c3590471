"""What every content-editing page does with a change: apply it to the draft (the live content
when there is none), run the checks of `puente dialogs check`, and save it, or say why not in
the admin's language. One transaction with the draft's row locked, so two editors' changes
apply one after the other."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response

from bot.content.source import ContentSource
from bot.content.yamledit import EditRefused
from bot.web.admin.edit_refusals import told
from bot.web.admin.save_checks import refusal
from bot.web.admin.site import Admin, Visit
from bot.web.admin.translations import _

Change = Callable[[ContentSource], ContentSource]


def save_change(admin: Admin, visit: Visit, change: Change, what: str, detail: dict[str, object],
                back: str) -> Response:
    """Apply `change` to the draft and redirect to `back` (a path under /admin), or an error page."""
    with admin.db.transaction() as conn:
        pack = admin.app.revisions.working(conn, lock=True)
        before = admin.content.of(pack)
        try:
            source = change(pack.source)
        except EditRefused as refused:
            return admin.error(visit, 400, _("Nothing was saved: %(reason)s") % {"reason": told(refused)})
        reason = refusal(admin, before, source)
        if reason:
            return admin.error(visit, 400, reason)
        if source.digest() == pack.source.digest():
            return admin.redirect(back)
        admin.app.revisions.save_draft(conn, source, visit.actor, what, detail)
    return admin.redirect(back, "saved")
