"""The words that lead to a topic, per language: its trigger words (matched in any message,
typos forgiven) and the intent classifier's example sentences (it learns from them when the
draft is published). For a step, or for a whole conversation."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response
from starlette.routing import Route

from bot.content.phrases_editing import examples_of, lines_of, set_examples, set_triggers, triggers_of
from bot.content.source import ContentSource
from bot.languages import LANGUAGES
from bot.web.admin.content_cache import Parsed
from bot.web.admin.content_edit import save_change
from bot.web.admin.site import CONTENT_LANGUAGE_NAMES, Admin, Visit
from bot.web.admin.translations import _

MAX_BOX = 20_000


@dataclass(frozen=True)
class Topic:
    """Whose words a page shows: a step, or a whole conversation (step_id "")."""

    parsed: Parsed
    flow_id: str
    step_id: str
    triggers: dict[str, list[str]]

    @property
    def intent(self) -> str:
        return f"{self.flow_id}.{self.step_id}" if self.step_id else self.flow_id


def routes(admin: Admin) -> list[Route]:
    def topic(visit: Visit) -> Topic | None:
        """The page's step (or whole conversation) in the working pack, None when there is none."""
        with admin.db.transaction() as conn:
            parsed = admin.content.working(conn)
        flow = parsed.view.flow(visit.request.path_params["flow"])
        step_id = visit.request.path_params.get("step", "")
        if flow is None:
            return None
        if not step_id:
            return Topic(parsed, flow.id, "", flow.triggers)
        step = next((s for s in flow.steps if s.id == step_id), None)
        return Topic(parsed, flow.id, step.id, step.triggers) if step else None

    async def page(visit: Visit) -> Response:
        found = topic(visit)
        if found is None:
            return admin.error(visit, 404, _("There is no such step. It may have been renamed."))
        return admin.render(visit, "examples.html", pack=found.parsed.pack, flow_id=found.flow_id,
                            step_id=found.step_id, text_names=found.parsed.names, languages=LANGUAGES,
                            names=CONTENT_LANGUAGE_NAMES, triggers=found.triggers,
                            examples=examples_of(found.parsed.pack.source, found.intent),
                            intent=found.intent, action=visit.request.url.path)

    async def save(visit: Visit) -> Response:
        found = topic(visit)
        if found is None:
            return admin.error(visit, 404, _("There is no such step. It may have been renamed."))
        flow_id, step_id, intent = found.flow_id, found.step_id, found.intent
        form = visit.form
        triggers = {lang: lines_of(form.get(f"triggers:{lang}", limit=MAX_BOX)) for lang in LANGUAGES
                    if f"triggers:{lang}" in form.values}
        examples = {lang: lines_of(form.get(f"examples:{lang}", limit=MAX_BOX)) for lang in LANGUAGES
                    if f"examples:{lang}" in form.values}

        def change(source: ContentSource) -> ContentSource:
            current = examples_of(source, intent)
            own = triggers_of(source, flow_id, step_id)
            for lang, words in triggers.items():
                if words != own.get(lang, []):
                    source = set_triggers(source, flow_id, step_id, lang, words)
            for lang, sentences in examples.items():
                if sentences != current.get(lang, []):
                    source = set_examples(source, lang, intent, sentences)
            return source

        return save_change(admin, visit, change, "content.words", {"intent": intent,
                           "languages": sorted(set(triggers) | set(examples))}, visit.request.url.path[len("/admin"):])

    return [
        admin.route("/content/flows/{flow}/words", page, "content.read"),
        admin.route("/content/flows/{flow}/words", save, "content.edit", methods=("POST",)),
        admin.route("/content/flows/{flow}/steps/{step}/words", page, "content.read"),
        admin.route("/content/flows/{flow}/steps/{step}/words", save, "content.edit", methods=("POST",)),
    ]
