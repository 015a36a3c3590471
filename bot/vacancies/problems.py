"""What an import reports: a problem of a line (an error or a warning), or a file that cannot be
read at all. Each carries a `code` and the `values` its message mentions, so a reader in another
language (the web admin) can say it in its own words; the CLI prints the English message."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


class FileUnreadable(ValueError):
    """The file as a whole cannot be read (not CSV/JSON/XLSX, broken JSON): nothing is imported."""

    def __init__(self, line: int, message: str, code: str = "", **values: Any) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    # For a refused field (record.FieldProblem): which; for any problem, why and with what values.
    field: str = ""
    code: str = ""
    values: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message
