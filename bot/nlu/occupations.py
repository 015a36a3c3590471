"""Trades named in any of the five languages, mapped to SINCO occupation divisions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.languages import LANGUAGES
from bot.nlu.datafile import read_yaml
from bot.nlu.matcher import Phrase, PhraseSet, best_non_overlapping, find_all, phrases
from bot.nlu.normalize import normalize

DATA = Path(__file__).with_name("data") / "occupations.yaml"


@dataclass(frozen=True)
class Trade:
    id: str
    sinco: str  # SINCO 2019 code: a division ("7") or a finer group ("712")
    names: dict[str, tuple[str, ...]]

    @property
    def division(self) -> str:
        return self.sinco[0]

    def label(self, lang: str) -> str:
        names = self.names.get(lang) or self.names["es"]
        return names[0][:1].upper() + names[0][1:]

    def words(self) -> set[str]:
        """Every name in every language, normalised: what a search for this trade looks for."""
        return {normalize(n) for names in self.names.values() for n in names}


@dataclass(frozen=True)
class TradeMatch:
    trade: Trade
    start: int
    end: int


class Occupations:
    def __init__(self, data: dict[str, dict]) -> None:
        self.trades: dict[str, Trade] = {}
        found: dict[str, list[Phrase]] = {lang: [] for lang in LANGUAGES}
        for trade_id, spec in data.items():
            names = {lang: tuple(spec.get(lang, ())) for lang in LANGUAGES}
            self.trades[trade_id] = Trade(trade_id, str(spec["sinco"]), names)
            for lang in LANGUAGES:
                found[lang] += phrases(trade_id, names[lang])
        # Indexed once: a vacancy search reads every trade name of five languages.
        self._phrases = {lang: PhraseSet(group) for lang, group in found.items()}

    @classmethod
    def load(cls, path: Path = DATA) -> Occupations:
        return _load(str(path))

    def phrases_by_language(self) -> dict[str, PhraseSet]:
        """Every trade name, normalised, per language (key = trade id)."""
        return dict(self._phrases)

    def find_all(self, text: str, lang: str | None = None) -> list[TradeMatch]:
        """Trades named in the text, the reader's language first (its words win a clash)."""
        typed = normalize(text).split()
        order = ([lang] if lang in self._phrases else []) + [code for code in LANGUAGES if code != lang]
        results: list[TradeMatch] = []
        taken: set[int] = set()
        for code in order:
            for found in best_non_overlapping(find_all(typed, self._phrases[code])):
                span = set(range(found.start, found.end))
                if span & taken:
                    continue
                taken |= span
                results.append(TradeMatch(self.trades[found.key], found.start, found.end))
        return sorted(results, key=lambda m: m.start)

    def find(self, text: str, lang: str | None = None) -> Trade | None:
        found = self.find_all(text, lang)
        return found[0].trade if found else None

    def by_division(self, division: str) -> list[Trade]:
        return [t for t in self.trades.values() if t.division == division]


@lru_cache(maxsize=4)
def _load(path: str) -> Occupations:
    return Occupations(read_yaml(path))
