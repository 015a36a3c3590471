"""Turning content into the words one reader sees: translation, placeholders, choice buttons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from bot.engine.model import PLACEHOLDER, CompiledContent, LocalText, Step
from bot.messages import Choice, Outbound

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

    def choices(self, step: Step, slots: Mapping[str, Any]) -> tuple[Choice, ...]:
        if step.type == "language":
            return tuple(
                Choice(step.choice_payload(code), self.content.language_names[code])
                for code in language_order(self.content, slots.get("_suggested"))
            )
        fixed = tuple(
            Choice(step.choice_payload(c.id), self.text(c.label, slots)) for c in step.choices
        )
        return dynamic_choices(step, slots) + fixed

    def question(self, step: Step, slots: Mapping[str, Any], *, first_contact: bool = False) -> Outbound:
        """The step's text with its buttons; at first contact the language question in every language."""
        if step.say is None:
            text = ""
        elif first_contact and step.type == "language":
            order = language_order(self.content, slots.get("_suggested"))
            lines = []
            for code in order:
                raw, _ = step.say.get(code)
                lines.append(self.fill(raw, slots))
            text = "\n".join(dict.fromkeys(lines))
        else:
            text = self.step_text(step, slots)
        return Outbound(text, self.choices(step, slots))


def dynamic_choices(step: Step, slots: Mapping[str, Any]) -> tuple[Choice, ...]:
    if step.choices_from is None:
        return ()
    items = slots.get(step.choices_from) or []
    return tuple(
        Choice(step.choice_payload(str(item["id"])), str(item["label"]))
        for item in items
        if isinstance(item, dict) and "id" in item and "label" in item
    )


def language_order(content: CompiledContent, suggested: str | None) -> list[str]:
    order = list(content.languages)
    if suggested in order:
        order.remove(suggested)
        order.insert(0, suggested)
    return order
