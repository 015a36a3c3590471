"""The NLU's data files (trades, states, countries) read as YAML with libyaml's C parser where
PyYAML was built with it: 3-4 ms a file instead of 26-34 ms, at the start of every process that
understands (each `puente serve` worker, each command). The same safe subset either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | Path) -> Any:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
