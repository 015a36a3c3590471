"""The content revision workers run now, swapped atomically when staff publish a new one."""

from __future__ import annotations

import enum
from collections.abc import Callable

from bot.engine import CompiledContent, Engine
from bot.nlu.training import train
from bot.settings import Settings


class Unknown(enum.Enum):
    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN


class LiveContent:
    """Holds the current Engine. `refresh` asks the revision source whether something newer exists."""

    def __init__(
        self,
        content: CompiledContent,
        make_engine: Callable[[CompiledContent], Engine],
        newer: Callable[[str], CompiledContent | None] | None = None,
    ) -> None:
        self._make_engine = make_engine
        self._newer = newer
        self.engine = make_engine(content)

    @property
    def content(self) -> CompiledContent:
        return self.engine.content

    def replace(self, content: CompiledContent) -> None:
        self.engine = self._make_engine(content)

    def refresh(self, newest: int | None | Unknown = UNKNOWN) -> bool:
        """Switch to a newer published revision if there is one; True when it switched.
        `newest` is the newest published revision's number when the caller read it already
        (a turn reads it with the contact); otherwise the revision source asks the database."""
        if self._newer is None:
            return False
        if newest is not UNKNOWN and (newest is None or f"r{newest}" == self.content.revision):
            return False
        newer = self._newer(self.content.revision)
        if newer is None:
            return False
        self.replace(newer)
        return True


def engine_factory(settings: Settings, formatter: object) -> Callable[[CompiledContent], Engine]:
    """An Engine per content revision, with the intent and language models trained on that
    revision's example sentences (a published revision with new examples retrains here, on the
    turn that switches to it; the same examples are trained once per process)."""

    def make(content: CompiledContent) -> Engine:
        return Engine(
            content,
            formatter,  # type: ignore[arg-type]
            idle_seconds=settings.idle_resume_seconds,
            max_misses=settings.max_misses,
            default_language=settings.default_language,
            handoff_hours=settings.handoff_hours,
            handoff_wait_hours=settings.handoff_wait_hours,
            understanding=train(content.nlu_examples, settings.nlu_cache),
        )

    return make
