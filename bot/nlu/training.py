"""Training the models of a content revision: scikit-learn runs in a child process
(`python -m bot.nlu.fit`) so that a worker never imports it (about 100 MB); the worker keeps the
pruned weights (bot/nlu/linear.py). A model is remembered by a fingerprint of its examples while
an engine uses it: the same content trains once per process, and a replaced revision's model is
freed with its engine.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import time
import weakref
from collections.abc import Mapping, Sequence

from bot.nlu.understanding import Understanding

log = logging.getLogger("puente.nlu")

# A training that takes longer is abandoned: the bot runs on its keyword stage alone.
TRAINING_TIMEOUT = 300.0


def examples_of(nlu_examples: Mapping[str, Sequence[tuple[str, str]]]) -> list[tuple[str, str, str]]:
    """language -> ((intent, text), ...) as (language, intent, text) rows, in a stable order."""
    return [(lang, intent, text) for lang in sorted(nlu_examples) for intent, text in nlu_examples[lang]]


_remembered: weakref.WeakValueDictionary[str, Understanding] = weakref.WeakValueDictionary()


def fingerprint(examples: Sequence[tuple[str, str, str]]) -> str:
    digest = hashlib.sha256()
    for row in examples:
        digest.update("\x1f".join(row).encode() + b"\x1e")
    return digest.hexdigest()


def train(nlu_examples: Mapping[str, Sequence[tuple[str, str]]]) -> Understanding | None:
    """The models for these examples, trained in a child process; None without examples or when
    training fails (the bot then reads free text with its keyword stage alone, and says so in
    the log)."""
    examples = examples_of(nlu_examples)
    if len({intent for _, intent, _ in examples}) < 2 or len({lang for lang, _, _ in examples}) < 2:
        return None
    key = fingerprint(examples)
    known = _remembered.get(key)
    if known is not None:
        return known
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.nlu.fit"],
            input=json.dumps({"examples": examples}), capture_output=True, text=True,
            timeout=TRAINING_TIMEOUT, check=True,
        )
        understanding = Understanding.from_json(json.loads(done.stdout))
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
        log.error("intent classifier not trained (%s): free text is read by keywords only",
                  type(error).__name__)
        return None
    log.info("intent classifier trained on %d examples in %.1f s", len(examples),
             time.perf_counter() - started)
    _remembered[key] = understanding
    return understanding
