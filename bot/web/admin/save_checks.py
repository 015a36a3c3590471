"""The checks of `puente dialogs check` at save: an edit that would add a mistake is refused,
in the admin's language, naming the field on the page (the button's "Goes to", the Creole
translation of a text, a step too long for one screen), never a file and line.

Only mistakes the edit adds count: the draft's own (if any) are the publish page's business."""

from __future__ import annotations

from bot.content.errors import ContentError
from bot.content.loader import check_content
from bot.content.source import ContentSource
from bot.content.targets import Targets
from bot.content.document import Documents, read_documents
from bot.content.screen import SCREEN_CHARS
from bot.web.admin.content_cache import Parsed
from bot.web.admin.site import CONTENT_LANGUAGE_NAMES, Admin
from bot.web.admin.text_names import TextNames
from bot.web.admin.translations import _


def _key(error: ContentError) -> tuple[str, str]:
    # Lines move when a step is added above: a mistake is the same when its words are.
    return (error.path, error.message)


def added_problems(admin: Admin, before: Parsed, after: ContentSource) -> list[ContentError]:
    known = {_key(e) for e in admin.content.errors(before)}
    return [e for e in check_content(after, admin.app.revisions.actions) if _key(e) not in known]


def refusal(admin: Admin, before: Parsed, after: ContentSource) -> str:
    """Why the edit cannot be saved, in the admin's language; "" when it may be."""
    if after.digest() == before.pack.source.digest():
        return ""
    problems = added_problems(admin, before, after)
    if not problems:
        return ""
    docs = read_documents(after.dialogs())
    names = TextNames.of(docs)
    told = [explain(problem, docs, names) for problem in problems[:5]]
    if len(problems) > 5:
        told.append(_("…and %(count)s more.") % {"count": len(problems) - 5})
    return _("Nothing was saved: %(reason)s") % {"reason": " ".join(dict.fromkeys(told))}


def _button(docs: Documents, flow_id: str, step_id: str, choice_id: str) -> str:
    for flow in docs.flows:
        for step in flow.steps:
            if flow.id == flow_id and step.id == step_id:
                for choice in step.choices:
                    if choice.id == choice_id:
                        return choice.label.source
    return choice_id


def explain(problem: ContentError, docs: Documents, names: TextNames) -> str:
    args = problem.args
    if problem.code == "target":
        flow_id, step_id, what, target = args
        step = names.step(flow_id, step_id)
        if what.startswith("choice '"):
            label = _button(docs, flow_id, step_id, what.split("'")[1])
            field = _("“Goes to” of the button “%(button)s” (step “%(step)s”)") % {"button": label, "step": step}
        elif what == "next":
            field = _("“Then go to” of the step “%(step)s”") % {"step": step}
        else:
            field = _("A branch of the step “%(step)s”") % {"step": step}
        told = _("%(field)s: there is no step or conversation called “%(target)s”.") % {
            "field": field, "target": target}
        close = Targets(docs.flows).close(flow_id, target)
        if close:
            told += " " + _("Did you mean %(names)s?") % {"names": _(" or ").join(f"“{c}”" for c in close)}
        return told
    if problem.code == "placeholders":
        ctx, lang, missing, extra = args
        where = _("The %(language)s translation of %(text)s") % {
            "language": CONTENT_LANGUAGE_NAMES.get(lang, lang), "text": names.full(ctx)}
        parts = []
        if missing:
            parts.append(_("keep %(names)s exactly as in Spanish") % {"names": _braces(missing)})
        if extra:
            parts.append(_("remove %(names)s, which the Spanish text does not have") % {"names": _braces(extra)})
        return f"{where}: {'; '.join(parts)}."
    if problem.code == "screen":
        flow_id, step_id, lang, length = args
        return _("The step “%(step)s” is %(length)s characters long in %(language)s, with its source and "
                 "date; one phone screen holds %(limit)s. Shorten its text.") % {
            "step": names.step(flow_id, step_id), "length": length,
            "language": CONTENT_LANGUAGE_NAMES.get(lang, lang), "limit": SCREEN_CHARS}
    # Any other check: where it is, in words of the page, and the check's own words (English).
    return _("%(where)s: %(message)s (%(fix)s)") % {
        "where": _where(problem, docs, names), "message": problem.message, "fix": problem.fix or "-"}


def _braces(names: str) -> str:
    """'{count}, name' -> '{count}, {name}': placeholders as the text writes them."""
    return ", ".join(n if n.startswith("{") else "{" + n + "}" for n in (p.strip() for p in names.split(",")))


def _where(problem: ContentError, docs: Documents, names: TextNames) -> str:
    """The step, example list or record a mistake's line falls in, named as the pages name it."""
    for flow in docs.flows:
        if flow.path != problem.path:
            continue
        inside = [s for s in flow.steps if s.line <= problem.line]
        if inside:
            step = max(inside, key=lambda s: s.line)
            return _("Step “%(step)s” of “%(flow)s”") % {"step": names.step(flow.id, step.id),
                                                         "flow": names.flows.get(flow.id, flow.id)}
        return _("Conversation “%(flow)s”") % {"flow": names.flows.get(flow.id, flow.id)}
    for nlu in docs.nlu:
        if nlu.path == problem.path:
            inside = [i for i in nlu.intents if i.line <= problem.line]
            if inside:
                intent = max(inside, key=lambda i: i.line).name
                return _("Example sentences in %(language)s for “%(intent)s”") % {
                    "language": CONTENT_LANGUAGE_NAMES.get(nlu.language, nlu.language), "intent": intent}
    for data in docs.data.values():
        if data.path == problem.path:
            inside = [r for r in data.records if r.line <= problem.line]
            if inside:
                record = max(inside, key=lambda r: r.line)
                return names.records.get(f"data.{data.name}.{record.id}", record.id)
    return _("The content")
