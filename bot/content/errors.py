"""A mistake in a content file: where it is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentError:
    path: str
    line: int
    message: str
    fix: str = ""
    # What kind of mistake, with its parts, for pages that explain it in their own words
    # (the admin names the field on the page): "target", "placeholders", "screen"; "" for others.
    code: str = ""
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}" + (f"\n    fix: {self.fix}" if self.fix else "")
