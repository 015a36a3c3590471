"""Turning content into the words one reader sees: translation, placeholders, a step's footer.
(Questions with their buttons are the step types' business: bot/engine/steps/.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from bot.engine.model import PLACEHOLDER, CompiledContent, LocalText, Step

SYSTEM_MENU_PAYLOAD = "sys.menu"


class Formatting(Protocol):
    def format(self, value: object, spec: str | None, lang: str) -> str: ...


class Renderer:
    """Renders texts for one turn; records which texts fell back to Spanish."""

    def __init__(self, content: CompiledContent, formatter: Formatting, lang: str) -> None:
        self.content = content
        self.formatter = formatter
        self.lang = lang
        self.fallbacks: list[str] = []

    def text(self, local: LocalText, values: Mapping[str, Any]) -> str:
        raw, fell_back = local.get(self.lang)
        if fell_back:
            # "lang:msgctxt": the dashboard counts fallbacks per language.
            self.fallbacks.append(f"{self.lang}:{local.ctx}")
        return self.fill(raw, values)

    def fill(self, raw: str, values: Mapping[str, Any]) -> str:
        if "{" not in raw:
            return raw

        def replace(match: Any) -> str:
            name, spec = match.group(1), match.group(2)
            value = values.get(name, self.content.values.get(name))
            if value is None:
                return ""
            try:
                return self.formatter.format(value, spec, self.lang)
            except (ValueError, TypeError, ArithmeticError):
                return str(value)

        return PLACEHOLDER.sub(replace, raw)

    def message(self, key: str, values: Mapping[str, Any] | None = None) -> str:
        return self.text(self.content.messages[key], values or {})

    def step_text(self, step: Step, slots: Mapping[str, Any]) -> str:
        """What a step says, with its source and review date as a footer when it has them."""
        body = self.text(step.say, slots) if step.say is not None else ""
        footer = []
        if step.source is not None:
            footer.append(self.message("source_line", {"source": self.text(step.source, {})}))
        if step.reviewed:
            footer.append(self.message("reviewed_line", {"date": step.reviewed}))
        return "\n\n".join(part for part in (body, "\n".join(footer)) if part)
