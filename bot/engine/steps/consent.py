"""`type: consent`: a yes or no to a long text (the registration's privacy notice). The text is
shown once; asked again after an answer that did not fit, only its question (the last
paragraph) comes back with the buttons, not the whole notice. Otherwise it is a `choice`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.model import Step
from bot.engine.render import Renderer
from bot.engine.steps.choice import ChoiceStep
from bot.messages import Outbound


class ConsentStep(ChoiceStep):
    name = "consent"

    def asked_again(self, render: Renderer, step: Step, slots: Mapping[str, Any]) -> Outbound:
        full = super().asked_again(render, step, slots)
        question = full.text.strip().rsplit("\n\n", 1)[-1]
        return Outbound(question, full.choices)
