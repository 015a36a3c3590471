"""The content validator: each mistake is reported with its file, line and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.action_bridge import ActionBridge
from bot.content.loader import ContentInvalid, check_content, load_content
from bot.content.source import ContentSource, po_path
from bot.settings import PROJECT_ROOT

ACTIONS = ActionBridge.from_package().names()


def shipped() -> dict[str, str]:
    return dict(ContentSource.from_directory(PROJECT_ROOT).files)


def errors_for(files: dict[str, str]) -> list[str]:
    return [str(e) for e in check_content(ContentSource(files), ACTIONS)]


def with_flow(text: str) -> dict[str, str]:
    files = shipped()
    files["dialogs/zz_test.yaml"] = text
    return files


def test_shipped_content_is_valid() -> None:
    assert errors_for(shipped()) == []


def test_dangling_jump_names_file_line_and_suggestion() -> None:
    errors = errors_for(with_flow(
        "flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n"
        "  - id: one\n    say: Hola\n    choices:\n      - id: a\n        label: A\n        go: privacy_x\n"
    ))
    assert any(e.startswith("dialogs/zz_test.yaml:8:") and "'privacy_x', which does not exist" in e
               and "did you mean 'privacy'" in e for e in errors), errors


def test_unreachable_step() -> None:
    errors = errors_for(with_flow(
        "flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n"
        "  - id: one\n    say: Hola\n    next: '@menu'\n  - id: lost\n    say: Nadie llega\n"
    ))
    assert any(e.startswith("dialogs/zz_test.yaml:8:") and "can never be reached" in e for e in errors), errors


def test_unknown_action_suggests_the_closest() -> None:
    errors = errors_for(with_flow(
        "flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n  - id: one\n    action: action_show_my_dat\n    say: Hola\n"
    ))
    assert any("unknown action 'action_show_my_dat'" in e and "action_show_my_data" in e for e in errors), errors


def test_duplicate_choice_ids_and_long_button_ids() -> None:
    long_id = "c" + "x" * 70
    errors = errors_for(with_flow(
        "flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n  - id: one\n    say: Hola\n    choices:\n"
        "      - id: a\n        label: A\n        go: '@menu'\n"
        "      - id: a\n        label: B\n        go: '@menu'\n"
        f"      - id: {long_id}\n        label: C\n        go: '@menu'\n"
    ))
    assert any(":11:" in e and "choice id 'a' is used twice" in e for e in errors), errors
    assert any(":14:" in e and "Telegram allows 64" in e for e in errors), errors


def test_placeholders_that_differ_between_languages() -> None:
    files = shipped()
    po = files[po_path("fr")]
    files[po_path("fr")] = po.replace('msgstr "Choisissez un numéro de 1 à {count}."', 'msgstr "Choisissez un numéro de 1 à {nombre}."')
    errors = errors_for(files)
    assert any(e.startswith("locales/fr/LC_MESSAGES/messages.po:") and "missing {count}" in e
               and "extra {nombre}" in e for e in errors), errors


def test_yaml_mistakes_and_typos_in_keys() -> None:
    errors = errors_for(with_flow("flow: zz_test\nsteps:\n  - id: one\n    say: [unclosed\n"))
    assert any(e.startswith("dialogs/zz_test.yaml:") and "not valid YAML" in e for e in errors), errors
    errors = errors_for(with_flow(
        "flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n  - id: one\n    say: Hola\n    chioces: []\n"
    ))
    assert any(":7:" in e and "unknown key 'chioces'" in e and "did you mean 'choices'" in e for e in errors), errors


def test_steps_that_loop_without_waiting() -> None:
    errors = errors_for(with_flow(
        "flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n"
        "  - id: one\n    say: Uno\n    next: two\n  - id: two\n    say: Dos\n    next: one\n"
    ))
    assert any("loop without asking anything" in e for e in errors), errors


def test_load_refuses_broken_content() -> None:
    files = with_flow("flow: zz_test\nsteps:\n  - id: one\n    say: Hola\n    next: nowhere\n")
    with pytest.raises(ContentInvalid) as raised:
        load_content(ContentSource(files), ACTIONS)
    assert "dialogs/zz_test.yaml:5" in raised.value.report()


def test_no_on_yes_no_stays_a_word(tmp_path: Path) -> None:
    # YAML 1.1 would read `id: no` as False; staff write Spanish, where "no" is a word.
    errors = errors_for(with_flow(
        "flow: zz_test\ntriggers:\n  es: [prueba zeta]\nsteps:\n  - id: one\n    say: ¿Seguro?\n    ask: sure\n    choices:\n"
        "      - id: si\n        label: Sí\n      - id: no\n        label: No\n"
    ))
    assert errors == []


def test_unknown_trigger_vocabulary_names_the_known_ones() -> None:
    errors = errors_for(with_flow(
        "flow: zz_test\ntrigger_vocabulary: trades\ntriggers:\n  es: [prueba zeta]\nsteps:\n"
        "  - id: one\n    say: Hola\n    next: '@menu'\n"
    ))
    assert any(e.startswith("dialogs/zz_test.yaml:2:") and "unknown trigger_vocabulary 'trades'" in e
               and "occupations" in e for e in errors), errors


# -- training data of the intent classifier (dialogs/nlu/<lang>.yaml, Rasa's NLU format) --------

def with_nlu(text: str, path: str = "dialogs/nlu/es_zz_test.yaml") -> dict[str, str]:
    files = shipped()
    files[path] = text
    return files


def test_training_data_compiles_per_language() -> None:
    files = with_nlu('version: "3.1"\nnlu:\n  - intent: rights.unpaid\n    examples: |\n'
                     "      - el patron no me paga zeta\n      - me deben dos semanas zeta\n"
                     "  - intent: cmd.person\n    examples: |\n      - quiero hablar con una persona zeta\n",
                     "dialogs/nlu/ht_zz_test.yaml")
    assert errors_for(files) == []
    content = load_content(ContentSource(files), ACTIONS)
    pairs = content.nlu_examples["ht"]
    assert ("rights.unpaid", "el patron no me paga zeta") in pairs
    assert ("cmd.person", "quiero hablar con una persona zeta") in pairs
    assert ("rights.unpaid", "el patron no me paga zeta") not in content.nlu_examples.get("es", ())


def test_training_data_with_an_unknown_intent_names_line_and_suggestion() -> None:
    errors = errors_for(with_nlu('version: "3.1"\nnlu:\n  - intent: rights.unpayd\n    examples: |\n'
                                 "      - no me pagan zeta\n"))
    assert any(e.startswith("dialogs/nlu/es_zz_test.yaml:3:") and "unknown intent 'rights.unpayd'" in e
               and "did you mean 'rights.unpaid'" in e for e in errors), errors


def test_training_data_refuses_empty_long_and_repeated_examples() -> None:
    errors = errors_for(with_nlu(
        'version: "3.1"\nnlu:\n  - intent: rights.wage\n    examples: |\n'
        "      - cuanto es el minimo zeta\n      -\n      - " + "x" * 301 + "\n"
        "      - Cuanto es el  minimo zeta\n"
        "  - intent: rights.unpaid\n    examples: |\n      - cuánto es el mínimo zeta\n"
    ))
    assert any(e.startswith("dialogs/nlu/es_zz_test.yaml:6:") and "an empty example" in e for e in errors), errors
    assert any(e.startswith("dialogs/nlu/es_zz_test.yaml:7:") and "301 characters" in e for e in errors), errors
    assert any(e.startswith("dialogs/nlu/es_zz_test.yaml:8:") and "appears twice for 'rights.wage'" in e
               and "es_zz_test.yaml:5" in e for e in errors), errors
    assert any(e.startswith("dialogs/nlu/es_zz_test.yaml:11:") and "for 'rights.unpaid' and for 'rights.wage'" in e
               for e in errors), errors


def test_training_data_file_is_named_after_its_language() -> None:
    errors = errors_for(with_nlu('version: "3.1"\nnlu:\n  - intent: greet\n    examples: |\n      - hola zeta\n',
                                 "dialogs/nlu/spanish.yaml"))
    assert any(e.startswith("dialogs/nlu/spanish.yaml:1:") and "named after its language" in e for e in errors), errors


def test_training_data_shape_mistakes() -> None:
    errors = errors_for(with_nlu('version: 3.1\nnlu:\n  - intent: greet\n    example: |\n      - hola zeta\n'
                                 "  - synonym: patron\n    examples: |\n      - patrón\n"
                                 "  - intent: greet\n    examples: |\n      hola zeta\n"))
    assert any(":1:" in e and "'version' must be quoted text" in e for e in errors), errors
    assert any(":4:" in e and "unknown key 'example'" in e for e in errors), errors
    assert any(":6:" in e and "synonyms, regexes and lookup tables are not used" in e for e in errors), errors
    assert any(":11:" in e and "is not a list item" in e for e in errors), errors
