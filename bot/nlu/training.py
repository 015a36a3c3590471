"""Training the models of a content revision: scikit-learn runs in a child process
(`python -m bot.nlu.fit`) so that a worker never imports it (about 100 MB); the worker keeps the
pruned weights (bot/nlu/linear.py). A model is remembered by a fingerprint of its examples while
an engine uses it: the same content trains once per process, and a replaced revision's model is
freed with its engine. With a cache folder (NLU_CACHE_DIR, by default ~/.cache/puente/nlu) the
trained weights are also kept on disk under that fingerprint (and one of the training code), so
the N workers of `puente serve --workers N`, a restart, `puente worker` and the test suite's
servers load them in milliseconds instead of training again (6 s on a quiet machine, up to 30 s
on a busy one). The examples are content, never a person's words; the files can be deleted at
any time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import subprocess
import sys
import time
import os
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.nlu.understanding import Understanding

log = logging.getLogger("puente.nlu")

# A training that takes longer is abandoned: the bot runs on its keyword stage alone.
TRAINING_TIMEOUT = 300.0


def examples_of(nlu_examples: Mapping[str, Sequence[tuple[str, str]]]) -> list[tuple[str, str, str]]:
    """language -> ((intent, text), ...) as (language, intent, text) rows, in a stable order."""
    return [(lang, intent, text) for lang in sorted(nlu_examples) for intent, text in nlu_examples[lang]]


_remembered: weakref.WeakValueDictionary[str, Understanding] = weakref.WeakValueDictionary()


@functools.cache
def _code() -> bytes:
    """The training code, part of every fingerprint (read once per process)."""
    return b"".join(module.read_bytes() for module in sorted(Path(__file__).parent.glob("*.py")))


def fingerprint(examples: Sequence[tuple[str, str, str]]) -> str:
    digest = hashlib.sha256(_code())
    for row in examples:
        digest.update("\x1f".join(row).encode() + b"\x1e")
    return digest.hexdigest()


def _cached(path: Path | None) -> Understanding | None:
    if path is None:
        return None
    try:
        return Understanding.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("cached intent classifier unreadable (%s): trained again", type(error).__name__)
        return None


def _keep(path: Path | None, weights: str) -> None:
    """Written whole or not at all (a temporary file renamed): workers may read it meanwhile."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(weights, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        log.warning("intent classifier not cached (%s)", type(error).__name__)


# The examples last fingerprinted and their fingerprint: the same compiled content (one object)
# makes every engine of a process - a worker's per revision, the tests' per app - and its
# examples (5,000+ rows) are listed and hashed once instead of each time (~7 ms).
# (Read and replaced as one tuple: threads never see one content's examples with another's key.)
_last: tuple[object, str] = (None, "")


def _last_key(nlu_examples: object) -> str:
    examples, key = _last
    return key if examples is nlu_examples else ""


def train(nlu_examples: Mapping[str, Sequence[tuple[str, str]]],
          cache_dir: Path | None = None) -> Understanding | None:
    """The models for these examples: from the cache folder when trained before, else trained
    in a child process; None without examples or when training fails (the bot then reads free
    text with its keyword stage alone, and says so in the log)."""
    key = _last_key(nlu_examples)
    known = _remembered.get(key) if key else None
    if known is not None:
        return known
    examples = examples_of(nlu_examples)
    if len({intent for _, intent, _ in examples}) < 2 or len({lang for lang, _, _ in examples}) < 2:
        return None
    key = fingerprint(examples)
    global _last
    _last = (nlu_examples, key)
    known = _remembered.get(key)
    if known is not None:
        return known
    path = cache_dir / f"{key}.json" if cache_dir is not None else None
    cached = _cached(path)
    if cached is not None:
        _remembered[key] = cached
        return cached
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.nlu.fit"],
            input=json.dumps({"examples": examples}), capture_output=True, text=True,
            timeout=TRAINING_TIMEOUT, check=True,
        )
        understanding = Understanding.from_json(json.loads(done.stdout))
        _keep(path, done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
        log.error("intent classifier not trained (%s): free text is read by keywords only",
                  type(error).__name__)
        return None
    log.info("intent classifier trained on %d examples in %.1f s", len(examples),
             time.perf_counter() - started)
    _remembered[key] = understanding
    return understanding
