"""Round-trip editing of flow files with ruamel.yaml: comments, order and quoting are kept."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class EditRefused(ValueError):
    """An edit that cannot be applied. `template` (English, with %(name)s parts) and `params` let
    the admin say it in the staff's language (bot/web/admin/edit_refusals.py lists the templates);
    str() is the English, for the command line."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    # The house style of dialogs/*.yaml: "steps:\n  - id: ..." and no re-wrapping of long texts.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def load(text: str) -> Any:
    try:
        return _yaml().load(text)
    except Exception as error:  # ruamel raises many types; the caller reports the file
        raise EditRefused("the file is not valid YAML: %(error)s", error=error) from None


def dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def styled(old: Any, text: str) -> Any:
    """The new text in the old value's style; several lines become a '|' block."""
    if "\n" in text:
        return LiteralScalarString(text.rstrip("\n") + "\n")
    if isinstance(old, DoubleQuotedScalarString) or isinstance(old, LiteralScalarString):
        return DoubleQuotedScalarString(text)
    if isinstance(old, SingleQuotedScalarString):
        return SingleQuotedScalarString(text)
    return text


def scalar(old: Any, raw: str) -> Any:
    """A short field (note, source, review date, number) typed like the value it replaces."""
    if DATE.match(raw) or isinstance(old, dt.date):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise EditRefused("'%(raw)s' is not a date: write it as year-month-day, e.g. 2026-03-31", raw=raw) from None
    if isinstance(old, bool):
        if raw.lower() not in ("true", "false"):
            raise EditRefused("write true or false")
        return raw.lower() == "true"
    if isinstance(old, int) and re.fullmatch(r"-?\d+", raw):
        return int(raw)
    return styled(old, raw)


def find_step(data: Any, step_id: str) -> CommentedMap:
    steps = data.get("steps") if isinstance(data, CommentedMap) else None
    if isinstance(steps, CommentedSeq):
        for step in steps:
            if isinstance(step, CommentedMap) and str(step.get("id")) == step_id:
                return step
    raise EditRefused("step '%(step_id)s' is not in this file", step_id=step_id)


def find_choices(step: CommentedMap) -> CommentedSeq:
    choices = step.get("choices")
    if not isinstance(choices, CommentedSeq):
        raise EditRefused("step '%(step)s' has no buttons", step=step.get('id'))
    return choices


def choice_index(choices: CommentedSeq, choice_id: str) -> int:
    for index, choice in enumerate(choices):
        if isinstance(choice, CommentedMap) and str(choice.get("id")) == choice_id:
            return index
    raise EditRefused("button '%(choice_id)s' does not exist", choice_id=choice_id)


def text_slot(data: Any, ctx: str) -> tuple[CommentedMap, str]:
    """The mapping and key that hold the Spanish text of a msgctxt in this file."""
    parts = ctx.split(".")
    if parts[0] == "system" and len(parts) == 2:
        return data["system"]["messages"], parts[1]
    if parts[0] == "responses" and len(parts) == 2:
        return data["responses"], parts[1]
    if len(parts) == 2 and parts[1] == "title":
        return data, "title"
    if len(parts) == 3 and parts[2] in ("say", "hint"):
        return find_step(data, parts[1]), parts[2]
    if len(parts) == 4 and parts[2] == "choices":
        choices = find_choices(find_step(data, parts[1]))
        return choices[choice_index(choices, parts[3])], "label"
    raise EditRefused("'%(ctx)s' is not a text of this file", ctx=ctx)


# -- the blank line between items ------------------------------------------------------------------
# ruamel keeps the blank line that ends an item (a step, a button, a record) as a comment on the
# item's deepest last value. An item added after it, or a key added at its end, must take that
# comment over, or the blank line lands inside the item (or between the wrong two).


def _last(node: Any) -> Any:
    if isinstance(node, CommentedMap) and len(node):
        return list(node.keys())[-1]
    if isinstance(node, CommentedSeq) and len(node):
        return len(node) - 1
    return None


def _is_block(value: Any) -> bool:
    return isinstance(value, (CommentedMap, CommentedSeq)) and len(value) > 0 and not value.fa.flow_style()


def pop_tail(node: Any) -> Any:
    """The comment token after the node's last line, removed from it (None when there is none)."""
    key = _last(node)
    if key is None:
        return None
    if _is_block(node[key]):
        return pop_tail(node[key])
    slot = node.ca.items.pop(key, None)
    if not slot:
        return None
    return slot[2] if isinstance(node, CommentedMap) else slot[0]


def attach_tail(node: Any, token: Any) -> None:
    """Put a token taken by pop_tail after the node's last line."""
    key = _last(node)
    if token is None or key is None:
        return
    if _is_block(node[key]):
        attach_tail(node[key], token)
    elif isinstance(node, CommentedMap):
        node.ca.items[key] = [None, None, token, None]
    else:
        node.ca.items[key] = [token, None]


def insert_item(seq: CommentedSeq, index: int, item: Any) -> None:
    """`item` into a block list at `index`, each item keeping the blank line after it."""
    if index >= len(seq):
        token = pop_tail(seq[-1]) if len(seq) else None
        if token is None and len(seq) >= 2:
            # The list ends the file: separate the new item as the others are.
            gap = pop_tail(seq[-2])
            attach_tail(seq[-2], gap)
            attach_tail(seq[-1], copy.deepcopy(gap))
        seq.append(item)
        attach_tail(item, token)
        return
    before = seq[index - 1] if index > 0 else None
    token = pop_tail(before) if before is not None else None
    if before is not None:
        attach_tail(before, token)
    seq.insert(index, item)
    attach_tail(item, copy.deepcopy(token))
