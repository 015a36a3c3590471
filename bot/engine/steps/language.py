"""`type: language`: the language question. Its buttons are the shipped languages, each in its
own name, the suggested one first; at first contact it is asked in every language at once; a
greeting typed at it ("bonjou") asks again with that language first; the pick sets the
conversation's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.answers import match_greeting
from bot.engine.context import TurnContext
from bot.engine.model import CompiledContent, Step
from bot.engine.render import Renderer
from bot.engine.steps.step_type import Chosen, StepType
from bot.messages import Choice, Outbound
from bot.nlu.matcher import match_whole
from bot.nlu.normalize import normalize

# Words that turn a language's name into the one a person does NOT read ("no hablo español",
# "I don't speak Spanish", "je ne parle pas espagnol", "m pa pale panyol", "não falo espanhol"):
# such a message asks for another language, never picks the one it names.
NEGATIONS = frozenset({
    "no", "ni", "nada", "nunca",                      # es (and pt "no" is rare before a name)
    "not", "dont", "don", "doesnt", "cant", "cannot", "never", "t",  # en ("don't" -> "don t")
    "ne", "pas", "n", "jamais",                       # fr
    "pa", "p", "janm",                                # ht
    "nao", "nem", "nunca",                            # pt
})


class LanguageStep(StepType):
    name = "language"
    always_waits = True

    def free_text(self, step: Step) -> bool:
        return False

    def intercept(self, ctx: TurnContext, step: Step, text: str) -> bool:
        if ctx.state.language is not None:
            return False
        greeting = match_greeting(ctx.content, text)
        if not greeting or named_language(ctx.content, text):
            return False
        # "bonjou" at the language question: ask again, that language first.
        ctx.state.slots["_suggested"] = greeting
        ctx.render_in(greeting)
        ctx.replies.append(self.question(ctx.render, step, ctx.state.slots, first_contact=True))
        return True

    def question(
        self, render: Renderer, step: Step, slots: Mapping[str, Any], *, first_contact: bool = False
    ) -> Outbound:
        if step.say is None or not first_contact:
            return super().question(render, step, slots)
        lines = []
        for code in language_order(render.content, slots.get("_suggested")):
            raw, _ = step.say.get(code)
            lines.append(render.fill(raw, slots))
        return Outbound("\n".join(dict.fromkeys(lines)), self.buttons(render, step, slots))

    def buttons(self, render: Renderer, step: Step, slots: Mapping[str, Any]) -> tuple[Choice, ...]:
        return tuple(
            Choice(step.choice_payload(code), render.content.language_names[code])
            for code in language_order(render.content, slots.get("_suggested"))
        )

    def choice_ids(
        self, content: CompiledContent, step: Step, slots: Mapping[str, Any]
    ) -> list[str]:
        return language_order(content, slots.get("_suggested"))

    def match_label(
        self, content: CompiledContent, step: Step, text: str, lang: str, slots: Mapping[str, Any]
    ) -> str | None:
        return named_language(content, text)

    def choose(self, ctx: TurnContext, step: Step, choice_id: str) -> Chosen | None:
        if choice_id not in ctx.content.languages:
            return None
        ctx.set_language(choice_id)
        ctx.state.slots.pop("_suggested", None)
        return Chosen()


def named_language(content: CompiledContent, text: str) -> str | None:
    """The language a message names as its choice ("english please", "en kreyòl"); None when it
    names none, several, or says it does not read the one named."""
    if NEGATIONS.intersection(normalize(text).split()):
        return None
    return match_whole(text, content.language_phrases)


# Words around a language's name that add no request: "english please", "en kreyòl svp".
_POLITE = frozenset({
    "en", "in", "em", "an", "a", "to", "pra", "para", "por", "favor", "porfa", "please", "pls",
    "plz", "svp", "s", "il", "vous", "plait", "tanpri", "souple", "ok", "only", "solo", "so",
})


def names_only(content: CompiledContent, text: str) -> bool:
    """Whether a message is a language's name and polite words only ("english please"), not a
    sentence about languages ("can you switch to English?")."""
    names = {word for phrase in content.language_phrases for word in phrase.words}
    return all(word in names or word in _POLITE for word in normalize(text).split())


def language_order(content: CompiledContent, suggested: str | None) -> list[str]:
    """The shipped languages, the suggested one first."""
    order = list(content.languages)
    if suggested in order:
        order.remove(suggested)
        order.insert(0, suggested)
    return order
