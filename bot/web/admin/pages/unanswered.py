"""Messages the bot could not place (masked, kept 30 days): counts by language and by the topic
people chose after, the newest messages, and adding one as an example sentence of a topic (it
goes to the content draft; publishing retrains the classifier, no restart). Reads the rows
directly; the one write on them goes through the conversation (bot/conversation/unanswered.py)."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.content.nlu_editing import add_example
from bot.content.yamledit import EditRefused
from bot.conversation import unanswered
from bot.languages import LANGUAGES
from bot.web.admin.edit_refusals import told
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_, _
from db import unanswered as store

NAV = [NavItem(N_("Unanswered"), "/admin/unanswered", "content.edit")]


def routes(admin: Admin) -> list[Route]:
    def intents() -> list[str]:
        examples = admin.app.live.content.nlu_examples
        return sorted({intent for pairs in examples.values() for intent, _text in pairs})

    async def listing(visit: Visit) -> Response:
        params = visit.request.query_params
        language = params.get("language") if params.get("language") in LANGUAGES else None
        topic = (params.get("topic") or "")[:80] or None
        with admin.db.transaction() as conn:
            counts = store.counts(conn)
            found = store.listing(conn, language=language, topic=topic)
        return admin.render(visit, "unanswered.html", counts=counts, messages=found, intents=intents(),
                            language=language, topic=topic, languages=LANGUAGES)

    async def add(visit: Visit) -> Response:
        message_id = visit.request.path_params["message"]
        intent = visit.form.require("intent", limit=80)
        if intent not in intents():
            return admin.error(visit, 400, _("Nothing was saved: choose one of the topics of the list."))
        with admin.db.transaction() as conn:
            message = store.find(conn, message_id)
            if message is None:
                return admin.error(visit, 404, _("There is no such message (it may have been deleted)."))
            pack = admin.app.revisions.working(conn, lock=True)
            try:
                source = add_example(pack.source, message.language, intent, message.text)
            except EditRefused as refused:
                return admin.error(visit, 400, _("Nothing was saved: %(reason)s") % {"reason": told(refused)})
            admin.app.revisions.save_draft(conn, source, visit.actor, "content.nlu_example",
                                           {"language": message.language, "intent": intent})
            unanswered.mark_added(conn, message_id, intent)
        return admin.redirect("/unanswered", "saved")

    return [
        admin.route("/unanswered", listing, "content.edit"),
        admin.route("/unanswered/{message:int}/example", add, "content.edit", methods=("POST",)),
    ]
