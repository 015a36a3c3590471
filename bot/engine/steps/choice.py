"""`type: choice`: buttons (`choices`, or `choices_from` a slot an action filled), picked by a
tap, their number or their words. The default type of a step with buttons."""

from __future__ import annotations

from bot.engine.model import Step
from bot.engine.steps.step_type import StepType


class ChoiceStep(StepType):
    name = "choice"
    needs_choices = True

    def free_text(self, step: Step) -> bool:
        return False
