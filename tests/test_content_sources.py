"""Content features staff edit as data: a step's source and review date, slot values a step
sets, and data files (`data:`) checked against the fields they declare."""

from __future__ import annotations

import pytest

from bot.action_bridge import ActionBridge
from bot.content.extract import template
from bot.content.loader import check_content, load_content
from bot.content.source import ContentSource
from bot.engine import ConversationState, Engine
from bot.i18n import Formatter
from bot.messages import Inbound
from bot.settings import PROJECT_ROOT

ACTIONS = ActionBridge.from_package().names()

DATA = """\
data: zz_places
fields:
  name: text
  offers: translated
  kinds: [shelter, legal]
  states: states
  web: url
  email: email
  reviewed: date
required: [name, kinds]
items:
  - id: one
    name: Casa Uno
    offers: Albergue para todos.
    kinds: [shelter]
    states: [CDMX, Chiapas]
    web: gob.mx/uno
    reviewed: 2026-11-25
  - id: two
    name: Dos
    kinds: legal
    states: all
"""


def with_files(**extra: str) -> ContentSource:
    files = dict(ContentSource.from_directory(PROJECT_ROOT).files)
    files.update({f"dialogs/{name}.yaml": text for name, text in extra.items()})
    return ContentSource(files)


def errors(**extra: str) -> list[str]:
    return [str(e) for e in check_content(with_files(**extra), ACTIONS)]


def test_a_data_file_is_compiled_with_codes_dates_and_translatable_texts() -> None:
    content = load_content(with_files(zz_places=DATA), ACTIONS)
    one, two = content.data["zz_places"].items
    assert one["states"] == ("09", "07") and one["reviewed"] == "2026-11-25"
    assert one["kinds"] == ("shelter",) and two["kinds"] == ("legal",) and two["states"] == ("all",)
    assert one["offers"].ctx == "data.zz_places.one.offers"
    # An action utters a translated field by its msgctxt, like a response.
    assert content.responses["data.zz_places.one.offers"].source == "Albergue para todos."
    pot = template(with_files(zz_places=DATA))
    assert pot.get("Albergue para todos.", context="data.zz_places.one.offers") is not None


def test_data_mistakes_name_the_line_and_the_fix() -> None:
    broken = (DATA.replace("kinds: [shelter]", "kinds: [shelte]")
              .replace("states: [CDMX, Chiapas]", "states: [CDMX, Narnia]")
              .replace("web: gob.mx/uno", "web: not a url")
              .replace("reviewed: 2026-11-25", "reviewed: 25/11/2026")
              .replace("  - id: two", "  - id: one"))
    found = errors(zz_places=broken)
    path = "dialogs/zz_places.yaml"
    assert any(e.startswith(f"{path}:15:") and "shelte is not allowed" in e and "shelter, legal" in e for e in found), found
    assert any(e.startswith(f"{path}:16:") and "'Narnia' is not a Mexican state" in e for e in found), found
    assert any(e.startswith(f"{path}:17:") and "is not a web address" in e for e in found), found
    assert any(e.startswith(f"{path}:18:") and "'25/11/2026' is not a date" in e for e in found), found
    assert any(e.startswith(f"{path}:19:") and "item id 'one' is used twice" in e for e in found), found


def test_unknown_fields_and_missing_required_ones() -> None:
    broken = DATA.replace("    name: Dos\n", "    phone: 555\n")
    found = errors(zz_places=broken)
    assert any("unknown field 'phone'" in e and "declare new ones under 'fields:'" in e for e in found), found
    assert any("item 'two' has no 'name'" in e for e in found), found
    assert any("a data file needs 'fields:'" in e for e in errors(zz_places="data: zz_places\nitems: []\n"))


def test_a_step_source_and_review_date_are_checked() -> None:
    flow = ("flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n  - id: one\n    say: Hola\n"
            "    source: Ley X, art. 1\n    reviewed: ayer\n")
    found = errors(zz_test=flow)
    assert any(e.startswith("dialogs/zz_test.yaml:8:") and "'reviewed' must be a date" in e for e in found), found
    assert errors(zz_test=flow.replace("ayer", "2026-11-25")) == []


def test_a_trigger_holding_a_command_word_is_refused() -> None:
    flow = "flow: zz_test\ntriggers:\n  es: [ayuda legal]\nsteps:\n  - id: one\n    say: Hola\n"
    found = errors(zz_test=flow)
    assert any("trigger 'ayuda legal' (es) is read as the command 'help' first" in e for e in found), found


def test_set_gives_slots_plain_values() -> None:
    flow = ("flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n  - id: one\n    set: {kind: [a]}\n"
            "    next: two\n  - id: two\n    say: Hola\n")
    assert any("'set' gives slots plain values" in e for e in errors(zz_test=flow))
    good = flow.replace("{kind: [a]}", "{kind: a}")
    content = load_content(with_files(zz_test=good), ACTIONS)
    turn = Engine(content, Formatter()).turn(
        ConversationState(language="es"), Inbound("console", "u", text="prueba zeta"), 0.0
    )
    assert turn.state.slots["kind"] == "a"
    assert turn.replies[0].text == "Hola" and turn.state.step == "main.menu"  # the last step goes to the menu


def test_a_sourced_step_shows_its_footer_even_without_buttons() -> None:
    flow = ("flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n  - id: one\n    say: Hola\n"
            "    source: Ley X, art. 1\n    reviewed: 2026-01-31\n    next: '@end'\n")
    content = load_content(with_files(zz_test=flow), ACTIONS)
    turn = Engine(content, Formatter()).turn(
        ConversationState(language="es"), Inbound("console", "u", text="prueba zeta"), 0.0
    )
    assert turn.replies[0].text == "Hola\n\nFuente: Ley X, art. 1\nRevisado el 31 de enero de 2026"


def test_an_edited_pack_reads_only_the_changed_file_again_and_no_pack_can_change_another() -> None:
    """Every pack the admin shows or checks reads all the files; a file read before (the same
    text) is shared, not parsed again. Shared values refuse changes, so one pack can never alter
    what another reads."""
    from bot.content import editing
    from bot.content.catalog import Catalogs
    from bot.content.document import read_documents
    from bot.content.yamlsource import load_yaml

    shipped = ContentSource.from_directory(PROJECT_ROOT)
    before = Catalogs.from_source(shipped)
    edited = editing.set_source_text(shipped, "main.menu.say", "¿Qué necesitas? Elige una opción:")
    after = Catalogs.from_source(edited)
    # The Spanish edit marks every translation of that text outdated: each catalog is new...
    assert all(after.entries[lang] is not before.entries[lang] for lang in before.entries)
    assert after.entries["fr"]["main.menu.say"].fuzzy and not before.entries["fr"]["main.menu.say"].fuzzy
    # ...while the flow files it did not touch are the very same values.
    touched = {path for path, text in edited.dialogs() if dict(shipped.dialogs()).get(path) != text}
    assert touched == {"dialogs/main.yaml"}
    for path, text in shipped.dialogs():
        assert (load_yaml(text) is load_yaml(dict(edited.dialogs())[path])) == (path not in touched), path
    menu = next(s for f in read_documents(edited.dialogs()).flows if f.id == "main" for s in f.steps if s.id == "menu")
    assert menu.say is not None and menu.say.source == "¿Qué necesitas? Elige una opción:"

    system = load_yaml(dict(shipped.dialogs())["dialogs/system.yaml"])
    for change in (lambda: system.__setitem__("system", {}), lambda: system["system"].pop("messages"),
                   lambda: system["system"]["commands"]["menu"]["es"].append("inicio")):
        try:
            change()
        except TypeError:
            continue
        raise AssertionError("a shared value of a content file was changed")
    with pytest.raises(TypeError):
        before.entries["fr"]["main.menu.say"] = before.entries["fr"]["main.menu.say"]  # type: ignore[index]
