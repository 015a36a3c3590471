"""The simulator: chat with the draft or the live content in any language, like a phone would."""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from bot.content.live import engine_factory
from bot.content.loader import ContentInvalid
from bot.engine import Engine
from bot.languages import LANGUAGES
from bot.messages import Inbound
from bot.web.admin.forms import FormError
from bot.web.admin.simulation import MAX_TEXT, Simulation, simulate_turn
from bot.web.admin.site import Admin, NavItem, Visit
from bot.web.admin.translations import N_, _
from db import staff as store

NAV = [NavItem(N_("Simulator"), "/admin/simulator", "simulator")]
CONTENTS = ("draft", "live")


def routes(admin: Admin) -> list[Route]:
    make_engine = engine_factory(admin.app.settings, admin.app.services.formatter)

    def engine_for(content: str) -> Engine:
        """Raises ContentInvalid when the draft is broken."""
        if content == "live":
            admin.app.live.refresh()
            return admin.app.live.engine
        with admin.db.transaction() as conn:
            pack = admin.app.revisions.working(conn)
        return make_engine(admin.compiled(pack))

    def load(visit: Visit) -> Simulation:
        assert visit.session is not None
        return Simulation.from_json(visit.session.simulator)

    def save(visit: Visit, sim: Simulation) -> None:
        assert visit.session is not None
        with admin.db.transaction() as conn:
            store.save_simulator(conn, visit.session.token_hash, sim.to_json())

    async def run(visit: Visit, sim: Simulation, inbound: Inbound) -> Response | None:
        try:
            engine = engine_for(sim.content)
        except ContentInvalid as invalid:
            return admin.render(visit, "simulator.html", status=422, sim=sim, errors=invalid.errors,
                                languages=LANGUAGES, contents=CONTENTS)
        assert visit.session is not None
        await simulate_turn(engine, admin.app.conversations, sim, inbound, visit.session.token_hash[:16])
        save(visit, sim)
        return None

    async def page(visit: Visit) -> Response:
        sim = load(visit)
        wanted = visit.request.query_params.get("content")
        if wanted in CONTENTS and wanted != sim.content:
            sim = Simulation(content=wanted, language=sim.language)
            save(visit, sim)
        return admin.render(visit, "simulator.html", sim=sim, errors=[], languages=LANGUAGES, contents=CONTENTS)

    async def restart(visit: Visit) -> Response:
        content = visit.form.get("content", "draft", limit=10)
        language = visit.form.get("language", "", limit=5)
        if content not in CONTENTS or (language and language not in LANGUAGES):
            raise FormError(_("choose the draft or the live content, and a language from the list"))
        sim = Simulation(content=content, language=language)
        problem = await run(visit, sim, Inbound("simulator", "staff", is_start=True))
        return problem or admin.redirect("/simulator")

    async def send(visit: Visit) -> Response:
        sim = load(visit)
        text = visit.form.get("text", limit=MAX_TEXT)
        choice = visit.form.get("choice", limit=200)
        label = visit.form.get("label", limit=300)
        if not text.strip() and not choice:
            raise FormError(_("type a message or tap a button"))
        sim.add("user", label if choice else text)
        inbound = Inbound("simulator", "staff", choice_id=choice or None, text="" if choice else text)
        problem = await run(visit, sim, inbound)
        return problem or admin.redirect("/simulator")

    return [
        admin.route("/simulator", page, "simulator"),
        admin.route("/simulator/restart", restart, "simulator", methods=("POST",)),
        admin.route("/simulator/send", send, "simulator", methods=("POST",)),
    ]
