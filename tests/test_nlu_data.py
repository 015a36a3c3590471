"""The shipped training data (dialogs/nlu/<lang>.yaml): every topic, flow and command has enough
varied examples in every language for the intent classifier, and a real Rasa could read it."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.engine import CompiledContent
from bot.engine.model import LANGUAGES
from bot.settings import PROJECT_ROOT

MIN_EXAMPLES = 15
# The problems people typed that fell through before this data existed: more examples each.
CORE = ("rights.unpaid", "rights.never_pay", "rights.documents_kept", "rights.dismissal", "support.shelter",
        "rights.equal", "rights.hours", "rights.imss", "vacancies.for_me")
MIN_CORE_EXAMPLES = 25
COMMANDS = ("cmd.menu", "cmd.back", "cmd.help", "cmd.language", "cmd.delete", "cmd.person")


def counts(content: CompiledContent, lang: str) -> Counter[str]:
    return Counter(intent for intent, _ in content.nlu_examples[lang])


def test_every_language_has_training_data_for_the_same_intents(content: CompiledContent) -> None:
    assert set(content.nlu_examples) == set(LANGUAGES)
    intents = {lang: set(counts(content, lang)) for lang in LANGUAGES}
    assert all(found == intents["es"] for found in intents.values()), intents


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_topic_flow_and_command_has_enough_examples(content: CompiledContent, lang: str) -> None:
    found = counts(content, lang)
    topics = {s.ref for flow in ("rights", "support") for s in content.flows[flow].steps.values() if s.track}
    wanted = topics | {"rights.menu", "support.menu", "registration", "vacancies", "vacancies.for_me",
                       "privacy", "greet", *COMMANDS}
    assert {w for w in wanted if found[w] < MIN_EXAMPLES} == set(), found
    assert {c for c in CORE if found[c] < MIN_CORE_EXAMPLES} == set(), found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_examples_are_varied_not_copies_of_one_sentence(content: CompiledContent, lang: str) -> None:
    by_intent: dict[str, list[str]] = {}
    for intent, text in content.nlu_examples[lang]:
        by_intent.setdefault(intent, []).append(text)
    for intent, texts in by_intent.items():
        first_words = Counter(t.split()[0].lower() for t in texts)
        assert first_words.most_common(1)[0][1] <= len(texts) * 0.6, (lang, intent, first_words.most_common(3))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_file_reads_as_rasa_nlu_training_data(lang: str) -> None:
    """Rasa's own shape: version, then `- intent:` entries whose `examples` is a block of '- ' lines."""
    data = yaml.safe_load((PROJECT_ROOT / "dialogs" / "nlu" / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert data["version"] == "3.1" and set(data) == {"version", "nlu"}
    for entry in data["nlu"]:
        assert set(entry) == {"intent", "examples"} and isinstance(entry["examples"], str)
        lines = [line for line in entry["examples"].splitlines() if line.strip()]
        assert all(line.startswith("- ") for line in lines), entry["intent"]
        # Rasa reads "[words](entity)" as an entity annotation: plain sentences only.
        assert not any("](" in line for line in lines), entry["intent"]
