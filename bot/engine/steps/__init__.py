"""Step types, one module each, by the name flows give them in `type:`. A step's type decides
how its question is asked, whether it waits, and how an answer to it is read; the rest of the
engine asks the type (step_type(step)) instead of testing names."""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.model import Step
from bot.engine.steps.action import ActionStep
from bot.engine.steps.choice import ChoiceStep
from bot.engine.steps.consent import ConsentStep
from bot.engine.steps.date import DateStep
from bot.engine.steps.language import LanguageStep
from bot.engine.steps.number import NumberStep
from bot.engine.steps.step_type import Chosen, StepType
from bot.engine.steps.text import TextStep

REGISTRY: Mapping[str, StepType] = {
    kind.name: kind
    for kind in (
        TextStep(), NumberStep(), DateStep(), ChoiceStep(), ConsentStep(), LanguageStep(), ActionStep()
    )
}
STEP_TYPES: tuple[str, ...] = tuple(REGISTRY)

__all__ = ["REGISTRY", "STEP_TYPES", "Chosen", "StepType", "named", "step_type"]


def step_type(step: Step) -> StepType:
    return REGISTRY[step.type]


def named(kind: object) -> StepType | None:
    """The type a flow file names (`type: number`), or None for a missing or unknown one."""
    return REGISTRY.get(kind) if isinstance(kind, str) else None
