"""`type: number`: a typed number ("3", "2,5"), between the step's `min` and `max` when given."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.engine.answers import Miss
from bot.engine.model import Step
from bot.engine.steps.step_type import StepType

_NUMBER = re.compile(r"^\s*[-+]?\d+(?:[.,]\d+)?\s*$")


class NumberStep(StepType):
    name = "number"
    needs_slot = True
    # "3" after repeated misses is the answer, not the added "Main menu" button.
    digits_are_answers = True

    def read_value(self, step: Step, text: str, lang: str, today: dt.date) -> Any:
        cleaned = super().read_value(step, text, lang, today)
        if not _NUMBER.match(cleaned):
            raise Miss("invalid_number")
        number = float(cleaned.replace(",", "."))
        if (step.minimum is not None and number < step.minimum) or (
            step.maximum is not None and number > step.maximum
        ):
            raise Miss("number_out_of_range", {"min": step.minimum, "max": step.maximum})
        return int(number) if number.is_integer() else number
