"""What every step type starts from: buttons from `choices` and `choices_from`, picking one by
number, label or keyword, and a typed answer kept as cleaned text. Each type (a module beside
this one) changes only what is its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.answers import Miss, choice_number
from bot.engine.context import TurnContext
from bot.engine.model import CompiledContent, Step
from bot.engine.render import Renderer
from bot.messages import Choice, Outbound
from bot.nlu.function_words import match_covered
from bot.nlu.matcher import Phrase, match_whole, phrases
from bot.nlu.normalize import clean_text, normalize


@dataclass(frozen=True)
class Chosen:
    """A button that belongs to the question: where it leads (None: the step's next)."""

    go: str | None = None


class StepType:
    """A kind of question: how it is asked, whether it waits, and how its answer is read."""

    name = ""
    # What the content validator requires of a step of this type (bot/content/validate.py).
    needs_slot = False
    needs_choices = False
    needs_validate = False
    # Waits for the user even without a slot or buttons (the language question).
    always_waits = False
    # A number typed at the question is the answer, never the number of a button.
    digits_are_answers = False

    # -- waiting --------------------------------------------------------------------------------

    def waits(self, step: Step) -> bool:
        """Whether entering the step stops and asks (otherwise the flow goes on)."""
        return (
            self.always_waits
            or step.slot is not None
            or bool(step.choices)
            or step.choices_from is not None
        )

    def free_text(self, step: Step) -> bool:
        """Whether the answer is typed rather than picked from buttons."""
        return not step.choices and step.choices_from is None

    def accepts_wordless(self, step: Step) -> bool:
        """Whether a message without words ("...", an emoji) goes on to this question's own
        reading instead of being refused at once as empty."""
        return False

    def intercept(self, ctx: TurnContext, step: Step, text: str) -> bool:
        """A typed message this type answers before anything else is tried; True when it did."""
        return False

    # -- asking ---------------------------------------------------------------------------------

    def question(
        self, render: Renderer, step: Step, slots: Mapping[str, Any], *, first_contact: bool = False
    ) -> Outbound:
        """The step's text with its buttons."""
        text = render.step_text(step, slots) if step.say is not None else ""
        return Outbound(text, self.buttons(render, step, slots))

    def asked_again(self, render: Renderer, step: Step, slots: Mapping[str, Any]) -> Outbound:
        """The question repeated after an answer that did not fit (the whole question here)."""
        return self.question(render, step, slots)

    def buttons(self, render: Renderer, step: Step, slots: Mapping[str, Any]) -> tuple[Choice, ...]:
        fixed = tuple(
            Choice(step.choice_payload(c.id), render.text(c.label, slots)) for c in step.choices
        )
        return dynamic_choices(step, slots) + fixed

    # -- picking a button -----------------------------------------------------------------------

    def read_choice(
        self, content: CompiledContent, step: Step, text: str, lang: str, slots: Mapping[str, Any]
    ) -> str | None:
        """The id of the choice the text names ("2", a label, a keyword), or None.
        Raises Miss("choose_number") for a number no button has."""
        number = choice_number(text)
        if number is not None:
            ids = self.choice_ids(content, step, slots)
            if 1 <= number <= len(ids):
                return ids[number - 1]
            raise Miss("choose_number", {"count": len(ids)})
        return self.match_label(content, step, text, lang, slots)

    def choice_ids(
        self, content: CompiledContent, step: Step, slots: Mapping[str, Any]
    ) -> list[str]:
        """The ids of the buttons, in the order they are shown (so "2" is the second)."""
        dynamic = [c.id.rsplit(".", 1)[-1] for c in dynamic_choices(step, slots)]
        return dynamic + [c.id for c in step.choices]

    def match_label(
        self, content: CompiledContent, step: Step, text: str, lang: str, slots: Mapping[str, Any]
    ) -> str | None:
        candidates: Sequence[Phrase] = content.choice_phrases.get((step.ref, lang), ())
        dynamic = dynamic_choices(step, slots)
        if dynamic:
            candidates = list(candidates)
            for choice in dynamic:
                candidates.extend(phrases(choice.id.rsplit(".", 1)[-1], [choice.label], 2))
        found = match_whole(text, candidates)
        if found is None and lang != "es":
            # A Spanish word is understood too: many users live among Spanish speakers.
            found = match_whole(text, content.choice_phrases.get((step.ref, "es"), ()))
        if found is None:
            # "sí claro", "yes please", "oui d'accord": words of one button, and function words.
            found = match_covered(text, candidates)
        return found

    def choose(self, ctx: TurnContext, step: Step, choice_id: str) -> Chosen | None:
        """Keep a picked button's value; None when the button is not one of the step's."""
        spec = next((c for c in step.choices if c.id == choice_id), None)
        dynamic_ids = {
            str(item.get("id")) for item in ctx.state.slots.get(step.choices_from or "", []) or []
            if isinstance(item, dict)
        }
        if spec is None and choice_id not in dynamic_ids:
            return None
        if step.slot:
            ctx.state.slots[step.slot] = spec.slot_value if spec else choice_id
        return Chosen(spec.go if spec else None)

    # -- a typed answer -------------------------------------------------------------------------

    def read_value(self, step: Step, text: str, lang: str, today: dt.date) -> Any:
        """The value a typed answer stores. Raises Miss with the reason it does not fit."""
        if len(text) > step.max_length:
            raise Miss("too_long", {"max": step.max_length})
        cleaned = clean_text(text, step.max_length)
        if not normalize(cleaned):
            raise Miss("no_words")
        return cleaned


def dynamic_choices(step: Step, slots: Mapping[str, Any]) -> tuple[Choice, ...]:
    """Buttons an action put in the step's `choices_from` slot ([{"id": ..., "label": ...}])."""
    if step.choices_from is None:
        return ()
    items = slots.get(step.choices_from) or []
    return tuple(
        Choice(step.choice_payload(str(item["id"])), str(item["label"]))
        for item in items
        if isinstance(item, dict) and "id" in item and "label" in item
    )
