"""`type: action`: a typed answer that a validation action judges (`validate:`), e.g. a CURP or a
phone number. The default type of a step with `validate` and no buttons. The engine only
cleans the text; the action accepts it (sets the slot) or refuses it (utters why)."""

from __future__ import annotations

from bot.engine.steps.step_type import StepType


class ActionStep(StepType):
    name = "action"
    needs_slot = True
    needs_validate = True
