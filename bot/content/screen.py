"""One phone screen: a topic (a step with `track: true`), with its source and review date under
it, must fit about 16 lines of 40 characters in every language, or people scroll past the end.
Part of `puente dialogs check`, so publishing and the admin's saves refuse a longer one."""

from __future__ import annotations

from bot.content.errors import ContentError
from bot.engine.model import CompiledContent
from bot.engine.render import Renderer
from bot.i18n import Formatter
from bot.languages import LANGUAGES

SCREEN_CHARS = 650


def screen_errors(content: CompiledContent, paths: dict[str, str]) -> list[ContentError]:
    """Topics longer than one screen, per language, as the reader sees them (placeholders filled,
    a missing translation shown in Spanish). `paths`: flow id -> its file."""
    errors: list[ContentError] = []
    formatter = Formatter()
    renderers = {lang: Renderer(content, formatter, lang) for lang in LANGUAGES}
    for flow in content.flows.values():
        for step in flow.steps.values():
            if not step.track or step.say is None:
                continue
            for lang, render in renderers.items():
                length = len(render.step_text(step, {}))
                if length > SCREEN_CHARS:
                    errors.append(ContentError(
                        paths.get(flow.id, "dialogs/"), step.line,
                        f"step '{step.id}' is {length} characters in {lang} with its source and date; "
                        f"one phone screen holds {SCREEN_CHARS}", "shorten the text",
                        "screen", (flow.id, step.id, lang, str(length))))
    return errors
