"""A trained classifier is kept on disk by its examples' fingerprint: a second process (another
worker, a restart) loads it instead of training again, and a damaged file is trained again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.nlu import training

UNPAID = {"es": ["mi patron no me paga", "el patron no me pago la semana", "no me pagan el sueldo",
                  "no me han pagado el sueldo", "me deben el pago de dos semanas"],
          "en": ["my boss does not pay me", "the boss did not pay my wages", "they do not pay my wages",
                 "I was not paid my wages", "they owe me two weeks of pay"]}
JOBS = {"es": ["busco trabajo de albanil", "hay trabajo de cocinero", "busco empleo de cocinero",
               "quiero trabajo en la construccion", "hay empleo para albanil"],
        "en": ["looking for a job as a cook", "any job in construction", "I want a job as a cook",
               "looking for work in construction", "any work for a builder"]}
EXAMPLES = {lang: [("rights.unpaid", t) for t in UNPAID[lang]] + [("vacancies", t) for t in JOBS[lang]]
            for lang in UNPAID}


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """EXAMPLES trained once for the module (a child process each time, ~2.5 s), and the folder
    that keeps it; each test works on a copy of that folder."""
    folder = tmp_path_factory.mktemp("trained")
    model = training.train(EXAMPLES, folder)
    assert model is not None
    assert len(list(folder.glob("*.json"))) == 1
    return folder, model


@pytest.fixture
def cache(trained: tuple[Path, Any], tmp_path: Path) -> Path:
    for kept in trained[0].glob("*.json"):
        shutil.copy(kept, tmp_path / kept.name)
    training._remembered.clear()  # as in another process
    return tmp_path


def no_training(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise AssertionError("trained again instead of loading the cached model")


def test_a_second_process_loads_the_model_instead_of_training(trained: tuple[Path, Any], cache: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "run", no_training)
    again = training.train(EXAMPLES, cache)
    first = trained[1]
    assert again is not None and again is not first
    for text in ("el patron no me pago", "job as a cook please"):
        assert again.read(text).intents[0] == first.read(text).intents[0]


def test_other_examples_train_their_own_model(cache: Path) -> None:
    more = {**EXAMPLES, "en": [*EXAMPLES["en"], ("vacancies", "hiring drivers?")]}
    assert training.train(more, cache) is not None
    assert len(list(cache.glob("*.json"))) == 2


def test_a_damaged_file_is_trained_again(cache: Path) -> None:
    (cached,) = cache.glob("*.json")
    cached.write_text('{"cut in the mid', encoding="utf-8")
    assert training.train(EXAMPLES, cache) is not None
    assert cached.read_text(encoding="utf-8").startswith("{") and len(cached.read_bytes()) > 100
