"""What a user searches for, kept in a slot and in alert subscriptions as plain JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.profile import DOCUMENTS

MAX_WORDS = 4


@dataclass(frozen=True)
class SearchSpec:
    trades: tuple[str, ...] = ()   # trade ids of bot/nlu/data/occupations.yaml
    state: str | None = None       # INEGI code
    city: str | None = None        # as written in bot/nlu/data/states.yaml
    words: tuple[str, ...] = ()    # other normalised words of the request
    any_words: bool = False        # the words were relaxed from "all of" to "any of"
    division: str | None = None    # a whole SINCO division (a wider search)
    document: str | None = None    # only offers that accept this document
    alerted: bool = False          # offers that alerts already sent to this user

    @property
    def is_empty(self) -> bool:
        return not (self.trades or self.state or self.words or self.division or self.alerted)

    def but(self, **changes: Any) -> SearchSpec:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items() if v}

    def key(self) -> str:
        """Canonical text of the search: the same search saved twice has the same key."""
        return json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: Any, occupations: Occupations | None = None) -> SearchSpec:
        """Tolerant: a slot from an older version (or tampered with) gives what is valid in it."""
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        trades = occupations.trades if occupations else None
        spec = cls(
            trades=tuple(str(t) for t in values.get("trades") or () if trades is None or t in trades),
            state=_code(values.get("state")),
            city=str(values["city"])[:100] if values.get("city") else None,
            words=tuple(str(w) for w in values.get("words") or ())[:MAX_WORDS],
            any_words=bool(values.get("any_words")),
            division=str(values["division"])[:1] if str(values.get("division") or "").isdigit() else None,
            document=values.get("document") if values.get("document") in DOCUMENTS else None,
            alerted=bool(values.get("alerted")),
        )
        return spec


def _code(value: Any) -> str | None:
    text = str(value or "")
    return text.zfill(2) if text.isdigit() and 1 <= int(text) <= 32 else None


def describe(spec: SearchSpec, lang: str, occupations: Occupations, places: Places) -> str:
    """A short name of the search from data in the reader's language: "Cook · Cancún, Quintana Roo"."""
    parts = []
    if spec.trades:
        parts.append(" / ".join(occupations.trades[t].label(lang) for t in spec.trades if t in occupations.trades))
    if spec.division:
        parts.append(group_label(spec.division, lang, occupations))
    if spec.words:
        parts.append(" ".join(spec.words))
    if spec.state:
        state = places.state(spec.state).name
        parts.append(f"{spec.city}, {state}" if spec.city and spec.city != state else state)
    return " · ".join(p for p in parts if p)


def group_label(division: str, lang: str, occupations: Occupations) -> str:
    """A trade group named by its first trades: "Carpenter, Electrician…"."""
    labels = [t.label(lang) for t in occupations.by_division(division)]
    return ", ".join(labels[:2]) + ("…" if len(labels) > 2 else "")
