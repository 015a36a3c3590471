"""Names staff can read for the texts of a content pack: flow title › step › field, in the
admin's language, instead of internal ids such as `rights.aguinaldo.say`.

A step is named by the label of a button that leads to it ("Aguinaldo"), else "Start of the
conversation" for a flow's first step, else by the start of its Spanish text, else by its id. Built once per parsed pack (content_cache.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.document import Documents, RawFlow
from bot.web.admin.translations import N_, _

SEPARATOR = " › "
FIELDS = {
    "say": N_("Text"),
    "hint": N_("Hint (when an answer is not understood)"),
    "source": N_("Source of the facts"),
    "title": N_("Title"),
}


def _short(text: str, size: int = 48) -> str:
    line = " ".join(text.split())
    return line if len(line) <= size else line[: size - 1].rstrip() + "…"


@dataclass
class TextNames:
    flows: dict[str, str] = field(default_factory=dict)
    steps: dict[str, str] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # Flows' first steps that no button leads to: named in the reader's language when asked.
    starts: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, docs: Documents) -> TextNames:
        names = cls()
        for flow in docs.flows:
            names.flows[flow.id] = flow.title.source if flow.title else flow.id
            for step in flow.steps:
                for choice in step.choices:
                    names.buttons[choice.label.ctx] = choice.label.source
                    target = _target(flow, choice.go)
                    if target and target not in names.steps:
                        names.steps[target] = _short(choice.label.source)
        for flow in docs.flows:
            first = flow.start or (flow.steps[0].id if flow.steps else "")
            for step in flow.steps:
                ref = f"{flow.id}.{step.id}"
                if ref not in names.steps:
                    if step.id == first:
                        names.starts.add(ref)
                    names.steps[ref] = _short(step.say.source) if step.say else step.id
        for data in docs.data.values():
            for record in data.records:
                label = record.values.get("name")
                names.records[f"data.{data.name}.{record.id}"] = str(label) if label else record.id
        names.sources = {item.ctx: item.source for item in docs.texts()}
        return names

    def step(self, flow_id: str, step_id: str) -> str:
        ref = f"{flow_id}.{step_id}"
        return _("Start of the conversation") if ref in self.starts else self.steps.get(ref, step_id)

    def is_start(self, flow_id: str, step_id: str) -> bool:
        """Named in the admin's language ("Start of the conversation"), not with Spanish text."""
        return f"{flow_id}.{step_id}" in self.starts

    def field(self, ctx: str) -> str:
        """What the text is within its step or group: "Text", "Button “Aguinaldo”"."""
        parts = ctx.split(".")
        if parts[0] == "system":
            return _("System message “%(name)s”") % {"name": parts[-1]}
        if parts[0] == "responses":
            return _("Message an action says: “%(name)s”") % {"name": parts[-1]}
        if parts[0] == "data" and len(parts) == 4:
            record = self.records.get(".".join(parts[:3]), parts[2])
            return _("“%(field)s” of %(record)s") % {"field": parts[3], "record": record}
        if len(parts) == 4 and parts[2] == "choices":
            return _("Button “%(label)s”") % {"label": _short(self.buttons.get(ctx, parts[3]))}
        return _(FIELDS[parts[-1]]) if parts[-1] in FIELDS else parts[-1]

    def full(self, ctx: str) -> str:
        """Where the text is, for lists of texts: "Mis derechos en el trabajo › Aguinaldo › Text"."""
        parts = ctx.split(".")
        if parts[0] in ("system", "responses", "data"):
            return self.field(ctx)
        flow = self.flows.get(parts[0], parts[0])
        if len(parts) == 2:
            return flow + SEPARATOR + self.field(ctx)
        return SEPARATOR.join((flow, self.step(parts[0], parts[1]), self.field(ctx)))

    def spanish(self, ctx: str) -> str:
        return self.sources.get(ctx, "")


def _target(flow: RawFlow, go: str | None) -> str:
    """The "flow.step" a button's `go` leads to, when it names a step."""
    if not go or go.startswith("@"):
        return ""
    if "." in go:
        return go
    if any(step.id == go for step in flow.steps):
        return f"{flow.id}.{go}"
    return ""

