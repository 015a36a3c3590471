"""`type: text`: a typed answer kept as cleaned text (a name, a municipality). The default type
of a step without buttons."""

from __future__ import annotations

from bot.engine.model import Step
from bot.engine.steps.step_type import StepType


class TextStep(StepType):
    name = "text"
    needs_slot = True

    def accepts_wordless(self, step: Step) -> bool:
        # "..." or an emoji at a text question is read as an answer there (and refused with
        # its reason), not taken for an empty message.
        return self.free_text(step)
