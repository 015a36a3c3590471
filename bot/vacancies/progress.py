"""A progress bar on stderr for long imports: redrawn in place on a terminal, a few lines otherwise."""

from __future__ import annotations

import sys
from typing import TextIO

# Files with fewer rows finish before a bar would help.
SHOW_FROM = 1000


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = total >= SHOW_FROM
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_tenth = 0  # a log gets 10%, 20%, ... 100%
        self.done = 0

    def advance(self, rows: int) -> None:
        self.done = min(self.total, self.done + rows)
        if not self.enabled:
            return
        fraction = self.done / self.total
        if self.tty:
            filled = int(self.width * fraction)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {fraction:4.0%} {self.done:,}/{self.total:,}")
        elif int(fraction * 10) > self._last_tenth:  # a log file gets one line per 10%
            self._last_tenth = int(fraction * 10)
            self.stream.write(f"{self.label}: {fraction:.0%} ({self.done:,}/{self.total:,})\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
