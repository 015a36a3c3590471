"""An in-memory clock the tests move forward by hand."""

from __future__ import annotations


class FakeClock:
    def __init__(self, start: float = 1_790_000_000.0) -> None:  # 2026-09-21
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
