"""`type: date`: a typed date in any reasonable form (27/04/1990, 27 de abril de 1990), stored
as ISO text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.engine.answers import Miss
from bot.engine.model import Step
from bot.engine.steps.step_type import StepType
from bot.nlu.dates import DateError, parse_date


class DateStep(StepType):
    name = "date"
    needs_slot = True

    def read_value(self, step: Step, text: str, lang: str, today: dt.date) -> Any:
        cleaned = super().read_value(step, text, lang, today)
        try:
            return parse_date(cleaned, today, lang).isoformat()
        except DateError as error:
            raise Miss(error.reason) from None
