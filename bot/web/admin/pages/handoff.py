"""One conversation with a person: the messages since the request (not the whole history), a
reply that reaches the person on their channel through the outbox (refused on WhatsApp outside
the 24-hour window, which the page says before anyone types), assigning, internal notes and
closing with an outcome. Every view and every change is in the audit log, never a text."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.conversation.handoffs import StaffActions
from bot.messages import DeliveryStatus
from bot.web.admin.handoff_access import colleagues, may_see, waiting_minutes
from bot.web.admin.site import Admin, Visit
from bot.web.admin.translations import N_, _
from db import audit
from db import handoffs as store

OUTCOME_NAMES = {"answered": N_("Answered"), "referred": N_("Referred to another service"),
                 "registered": N_("Registered"), "no_reply": N_("No reply from the person")}
REPLY_CHARS = 4000


def routes(admin: Admin) -> list[Route]:
    def staff_actions() -> StaffActions:
        return StaffActions(admin.app.conversations, admin.app.notifier)

    def visible(visit: Visit) -> store.Handoff | None:
        assert visit.staff is not None
        with admin.db.transaction() as conn:
            found = store.get(conn, visit.request.path_params["handoff"])
        return found if found is not None and may_see(visit.staff, found) else None

    def missing(visit: Visit) -> Response:
        return admin.error(visit, 404, _("There is no such conversation, or it belongs to another organization."))

    async def view(visit: Visit, problem: str = "", status: int = 200) -> Response:
        found = visible(visit)
        if found is None:
            return missing(visit)
        now = admin.clock()
        with admin.db.transaction() as conn:
            messages = store.messages(conn, found.id)
            window = staff_actions().window(conn, found)
            people = colleagues(conn, found)
            audit.record(conn, visit.actor, "handoffs.view", {"handoff": found.id}, at=now)
        return admin.render(visit, "handoff.html", status=status, h=found, messages=messages, window=window,
                            colleagues=people, outcomes=OUTCOME_NAMES, problem=problem,
                            waiting=waiting_minutes(found, now))

    async def reply(visit: Visit) -> Response:
        found = visible(visit)
        if found is None:
            return missing(visit)
        assert visit.staff is not None
        text = visit.form.require("text", limit=REPLY_CHARS).strip()
        if not text:
            return await view(visit, _("Write a reply first."), 400)
        delivery = await staff_actions().reply(found.id, visit.staff.id, text)
        with admin.db.transaction() as conn:
            audit.record(conn, visit.actor, "handoffs.reply", {"handoff": found.id, "status": delivery.status.value,
                                                               "retry": delivery.retry_at is not None}, at=admin.clock())
        if delivery.status is DeliveryStatus.NOT_SENDABLE:
            return await view(visit, _("Not sent: more than 24 hours have passed since the person's last message on "
                                       "WhatsApp. Only an approved template can open the conversation again."), 409)
        if delivery.status is DeliveryStatus.OPTED_OUT:
            return await view(visit, _("Not sent: the person blocked the bot or wrote STOP."), 409)
        if delivery.status is DeliveryStatus.FAILED and delivery.retry_at is None:
            return await view(visit, _("Not sent: the platform refused the message (%(why)s).") % {"why": delivery.detail}, 502)
        return admin.redirect(f"/handoffs/{found.id}", "handoff_sent")

    async def assign(visit: Visit) -> Response:
        found = visible(visit)
        if found is None:
            return missing(visit)
        assert visit.staff is not None
        choice = visit.form.get("to", limit=20)
        with admin.db.transaction() as conn:
            allowed_ids = {s.id for s in colleagues(conn, found)}
        target = visit.staff.id if choice == "me" else (int(choice) if choice.isdigit() else None)
        if target is not None and target not in allowed_ids:
            return admin.error(visit, 400, _("Choose a colleague from the list."))
        staff_actions().assign(found.id, target)
        with admin.db.transaction() as conn:
            audit.record(conn, visit.actor, "handoffs.assign", {"handoff": found.id, "to": target}, at=admin.clock())
        return admin.redirect(f"/handoffs/{found.id}", "handoff_saved")

    async def note(visit: Visit) -> Response:
        found = visible(visit)
        if found is None:
            return missing(visit)
        assert visit.staff is not None
        text = visit.form.require("text", limit=REPLY_CHARS).strip()
        if not text:
            return await view(visit, _("Write the note first."), 400)
        staff_actions().note(found.id, visit.staff.id, text)
        with admin.db.transaction() as conn:
            audit.record(conn, visit.actor, "handoffs.note", {"handoff": found.id}, at=admin.clock())
        return admin.redirect(f"/handoffs/{found.id}", "handoff_saved")

    async def close(visit: Visit) -> Response:
        found = visible(visit)
        if found is None:
            return missing(visit)
        outcome = visit.form.get("outcome", limit=20)
        if outcome not in OUTCOME_NAMES:
            return admin.error(visit, 400, _("Choose how the conversation ended."))
        await staff_actions().close(found.id, outcome)
        with admin.db.transaction() as conn:
            audit.record(conn, visit.actor, "handoffs.close", {"handoff": found.id, "outcome": outcome}, at=admin.clock())
        return admin.redirect("/handoffs", "handoff_closed")

    async def show(visit: Visit) -> Response:
        return await view(visit)

    path = "/handoffs/{handoff:int}"
    return [
        admin.route(path, show, "handoffs"),
        admin.route(path + "/reply", reply, "handoffs", methods=("POST",)),
        admin.route(path + "/assign", assign, "handoffs", methods=("POST",)),
        admin.route(path + "/note", note, "handoffs", methods=("POST",)),
        admin.route(path + "/close", close, "handoffs", methods=("POST",)),
    ]
