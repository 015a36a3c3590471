"""Shaping a flow as staff do in the admin, without YAML: add a step (a topic, with a button in a
menu that leads to it), rename one (every jump to it, its translations and its example sentences
follow), move one up or down, remove one (with the buttons that led to it and its examples).

Each function returns a new ContentSource; catalogs are merged as `puente i18n extract` does.
Nothing here checks the whole pack: the caller runs `check_content` before saving."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.content import yamledit
from bot.content.document import ID, RawFlow, read_documents
from bot.content.editing import clean_text, merge_catalogs
from bot.content.source import ContentSource, po_path
from bot.content.targets import Targets
from bot.content.yamledit import EditRefused
from bot.languages import LANGUAGES, SOURCE_LANGUAGE

MAX_ID = 30


def _flow(source: ContentSource, flow_id: str) -> tuple[RawFlow, list[RawFlow]]:
    flows = read_documents(source.dialogs()).flows
    for flow in flows:
        if flow.id == flow_id:
            return flow, flows
    raise EditRefused("there is no flow '%(flow_id)s'", flow_id=flow_id)


def _steps(data: Any) -> CommentedSeq:
    steps = data.get("steps") if isinstance(data, CommentedMap) else None
    if not isinstance(steps, CommentedSeq):
        raise EditRefused("this file has no steps")
    return steps


def _index(steps: CommentedSeq, step_id: str) -> int:
    for index, step in enumerate(steps):
        if isinstance(step, CommentedMap) and str(step.get("id")) == step_id:
            return index
    raise EditRefused("step '%(step_id)s' is not in this flow", step_id=step_id)


def check_id(step_id: str) -> str:
    step_id = step_id.strip()
    if not ID.match(step_id) or len(step_id) > MAX_ID:
        raise EditRefused("a step's short name uses lowercase letters, digits and _ (e.g. 'rest_day'), "
                          "at most %(most)s", most=MAX_ID)
    return step_id


def _first_step(flow: RawFlow) -> str:
    return flow.start or (flow.steps[0].id if flow.steps else "")


def add_step(
    source: ContentSource, flow_id: str, step_id: str, say: str, *, menu: str = "", label: str = "",
    then: str = "", after: str = "", source_text: str = "", reviewed: str = "", topic: bool = True,
) -> ContentSource:
    """A new step after `after` (else at the end). With `menu` (a step of this flow with buttons)
    and `label`, a button there leads to it; `then` is where it goes after its text."""
    flow, _ = _flow(source, flow_id)
    step_id = check_id(step_id)
    if any(s.id == step_id for s in flow.steps):
        raise EditRefused("there is already a step '%(step_id)s' in this conversation", step_id=step_id)
    say = clean_text(say)
    label = clean_text(label, required=False)
    then = clean_text(then, required=False)
    source_text = clean_text(source_text, required=False)
    if menu and not label:
        raise EditRefused("write the label of the button that leads to the new step")
    for name, value in (("then", then), ("source", source_text), ("label", label)):
        if "\n" in value:
            raise EditRefused("'%(name)s' must fit on one line", name=name)

    def change(data: Any) -> None:
        steps = _steps(data)
        step = CommentedMap(id=step_id)
        if topic:
            step["track"] = True
        step["say"] = yamledit.styled(None, say)
        if source_text:
            step["source"] = yamledit.styled(None, source_text)
        if reviewed.strip():
            step["reviewed"] = yamledit.scalar(dt.date.today(), reviewed.strip())
        if then:
            step["next"] = then
        at = _index(steps, after) + 1 if after else len(steps)
        yamledit.insert_item(steps, at, step)
        if menu:
            choices = yamledit.find_choices(yamledit.find_step(data, menu))
            if any(isinstance(c, CommentedMap) and str(c.get("id")) == step_id for c in choices):
                raise EditRefused("the menu already has a button '%(step_id)s'", step_id=step_id)
            yamledit.insert_item(choices, len(choices),
                                 CommentedMap(id=step_id, label=yamledit.styled(None, label), go=step_id))

    return merge_catalogs(_edit(source, flow.path, change))


def move_step(source: ContentSource, flow_id: str, step_id: str, delta: int) -> ContentSource:
    flow, _ = _flow(source, flow_id)

    def change(data: Any) -> None:
        steps = _steps(data)
        index = _index(steps, step_id)
        target = index + delta
        if 0 <= target < len(steps):
            steps.insert(target, steps.pop(index))

    return _edit(source, flow.path, change)


def _jumps(step: CommentedMap) -> list[tuple[Any, Any, str]]:
    """(owner, key, what) for every jump a step makes: next, each button's go, branch cases."""
    found: list[tuple[Any, Any, str]] = []
    if step.get("next") is not None:
        found.append((step, "next", "next"))
    for choice in step.get("choices") or []:
        if isinstance(choice, CommentedMap) and choice.get("go") is not None:
            found.append((choice, "go", f"button '{choice.get('id')}'"))
    branch = step.get("branch")
    if isinstance(branch, CommentedMap):
        for value in list((branch.get("cases") or {}).keys()):
            found.append((branch["cases"], value, f"branch '{value}'"))
        if branch.get("else") is not None:
            found.append((branch, "else", "branch else"))
    return found


def _each_step(source: ContentSource, flows: list[RawFlow]) -> dict[str, tuple[str, Any]]:
    """flow id -> (path, loaded YAML) for every flow file."""
    return {flow.id: (flow.path, yamledit.load(source.files[flow.path])) for flow in flows}


def rename_step(source: ContentSource, flow_id: str, old: str, new: str) -> ContentSource:
    """`old` becomes `new` everywhere: the step, every jump to it (in any flow), its texts'
    translations (msgctxt), its example sentences (intent)."""
    flow, flows = _flow(source, flow_id)
    new = check_id(new)
    if old == new:
        return source
    if not any(s.id == old for s in flow.steps):
        raise EditRefused("step '%(old)s' is not in this conversation", old=old)
    if any(s.id == new for s in flow.steps):
        raise EditRefused("there is already a step '%(new)s' in this conversation", new=new)
    if old == _first_step(flow):
        raise EditRefused("the first step of a conversation keeps its name: other parts of the bot start there")
    targets = Targets(flows)
    loaded = _each_step(source, flows)
    files = dict(source.files)
    for other_id, (path, data) in loaded.items():
        for step in _steps(data):
            if other_id == flow_id and str(step.get("id")) == old:
                step["id"] = new
            for owner, key, _what in _jumps(step):
                target = str(owner[key])
                if targets.resolve(other_id, target) == f"{flow_id}.{old}":
                    owner[key] = new if "." not in target else f"{flow_id}.{new}"
        files[path] = yamledit.dump(data)
    old_ref, new_ref = f"{flow_id}.{old}", f"{flow_id}.{new}"
    for lang in LANGUAGES:
        if lang != SOURCE_LANGUAGE and po_path(lang) in files:
            files[po_path(lang)] = re.sub(rf'^((?:#[~|] )?msgctxt "){re.escape(old_ref)}\.', rf"\g<1>{new_ref}.",
                                          files[po_path(lang)], flags=re.MULTILINE)
    for path, text in files.items():
        if path.startswith("dialogs/nlu/"):
            files[path] = re.sub(rf"^(\s*- intent: ){re.escape(old_ref)}\s*$", rf"\g<1>{new_ref}", text,
                                 flags=re.MULTILINE)
    return merge_catalogs(ContentSource(files))


def remove_step(source: ContentSource, flow_id: str, step_id: str) -> tuple[ContentSource, list[str]]:
    """The step goes, with the buttons that led to it and its example sentences. Refused while a
    step continues to it by `next` or a branch (change those first). Returns the pack and the
    buttons removed (as 'flow.step.button')."""
    flow, flows = _flow(source, flow_id)
    if not any(s.id == step_id for s in flow.steps):
        raise EditRefused("step '%(step_id)s' is not in this conversation", step_id=step_id)
    if step_id == _first_step(flow):
        raise EditRefused("the first step of a conversation cannot be removed")
    ref = f"{flow_id}.{step_id}"
    targets = Targets(flows)
    loaded = _each_step(source, flows)
    removed: list[str] = []
    files = dict(source.files)
    for other_id, (path, data) in loaded.items():
        for step in _steps(data):
            if other_id == flow_id and str(step.get("id")) == step_id:
                continue
            for owner, key, what in _jumps(step):
                if targets.resolve(other_id, str(owner[key])) != ref:
                    continue
                if key != "go":
                    raise EditRefused("step '%(step)s' of '%(flow)s' continues to it (%(what)s); change that first",
                                      step=step.get("id"), flow=other_id, what=what)
                choices = step["choices"]
                choices.remove(owner)
                removed.append(f"{other_id}.{step.get('id')}.{owner.get('id')}")
                if not choices:
                    del step["choices"]
        if other_id == flow_id:
            steps = _steps(data)
            del steps[_index(steps, step_id)]
        files[path] = yamledit.dump(data)
    for path, text in files.items():
        if path.startswith("dialogs/nlu/"):
            files[path] = _without_intent(text, ref)
    return merge_catalogs(ContentSource(files)), removed


def _without_intent(text: str, intent: str) -> str:
    """The training file without the `- intent:` entry of `intent` (its examples block too)."""
    lines = text.split("\n")
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.strip() == f"- intent: {intent}":
            skipping = True
            continue
        if skipping and (line.startswith("    ") or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept)


def _edit(source: ContentSource, path: str, change: Any) -> ContentSource:
    data = yamledit.load(source.files[path])
    change(data)
    return ContentSource({**source.files, path: yamledit.dump(data)})
