"""Every reason bot/content gives for refusing an edit is listed for the admin's catalogs, so
staff read it in their language."""

from __future__ import annotations

import ast

from bot.content.yamledit import EditRefused
from bot.settings import PROJECT_ROOT
from bot.web.admin.edit_refusals import TEMPLATES, told
from bot.web.admin.translations import speaking

EDITING = ("yamledit", "editing", "nlu_editing", "structure", "phrases_editing", "values_editing")


def templates_raised() -> set[str]:
    found = set()
    for name in EDITING:
        tree = ast.parse((PROJECT_ROOT / "bot" / "content" / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "EditRefused":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant), f"{name}.py:{node.lineno}: EditRefused takes a template, not an f-string"
                found.add(first.value)
    return found


def test_every_refusal_template_is_listed_for_translation() -> None:
    raised = templates_raised()
    assert len(raised) > 40
    assert sorted(raised - set(TEMPLATES)) == []


def test_a_refusal_reads_in_spanish_with_its_values() -> None:
    refused = EditRefused("there is already a step '%(step_id)s' in this conversation", step_id="wage")
    assert str(refused) == "there is already a step 'wage' in this conversation"
    with speaking("es"):
        assert told(refused) == "ya hay un paso «wage» en esta conversación"
