"""Countries named in any of the five languages ("Haití", "Ayiti", "hondureña") -> ISO 3166 codes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale

from bot.languages import LANGUAGES
from bot.nlu.datafile import read_yaml
from bot.nlu.matcher import Phrase, match_whole, phrases

DATA = Path(__file__).with_name("data") / "countries.yaml"

# Where most migrants in Mexico come from (COMAR asylum claims 2019-2024, see MEXICO.md):
# offered as buttons, in this order.
COMMON: tuple[str, ...] = ("HN", "HT", "CU", "VE", "SV", "GT")

# Babel territories that are not countries a person is from.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AQ", "BV", "HM", "UM", "EA", "IC", "DG", "CP"}


@dataclass(frozen=True)
class CountryMatch:
    """What a typed answer names: one code, several (ambiguous), or none."""

    code: str | None
    candidates: tuple[str, ...] = ()


class Countries:
    def __init__(self, extra: dict[str, dict]) -> None:
        self.codes = tuple(
            sorted(c for c in Locale.parse("en").territories if len(c) == 2 and c.isalpha()
                   and c not in _NOT_COUNTRIES)
        )
        self._creole = {code: spec["ht"][0] for code, spec in extra.items() if spec.get("ht")}
        self._phrases: dict[str, list[Phrase]] = {}
        for lang in LANGUAGES:
            own: list[Phrase] = []
            for code in self.codes:
                names = {self.label(code, lang)}
                names |= set(extra.get(code, {}).get(lang, ()))
                own += phrases(code, names, 2)
            self._phrases[lang] = own
        self._demonyms = [
            p for code, spec in extra.items() for p in phrases(code, spec.get("demonyms", ()), 1)
        ]

    @classmethod
    def load(cls, path: Path = DATA) -> Countries:
        return _load(str(path))

    def label(self, code: str, lang: str) -> str:
        """The country's name for a reader of `lang` (Creole from our data, the rest from Babel)."""
        if lang == "ht" and code in self._creole:
            return self._creole[code]
        return _territories(lang).get(code) or code

    def parse(self, text: str, lang: str) -> CountryMatch:
        """The country a whole answer names; the reader's language first, then any other."""
        own = self._phrases.get(lang, [])
        others = [p for code, group in self._phrases.items() if code != lang for p in group]
        for group in (own + self._demonyms, others):
            found = match_whole(text, group)
            if found:
                return CountryMatch(found)
        everything = own + others + self._demonyms
        candidates = sorted({p.key for p in everything if _names_part(text, p)})
        return CountryMatch(None, tuple(candidates[:5]) if len(candidates) > 1 else ())


def _names_part(text: str, phrase: Phrase) -> bool:
    """'guinea' is part of 'Guinea Ecuatorial' and of 'Papúa Nueva Guinea': an ambiguous answer."""
    return match_whole(text, [phrase]) is not None


@lru_cache(maxsize=8)
def _territories(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).territories)


@lru_cache(maxsize=2)
def _load(path: str) -> Countries:
    return Countries(read_yaml(path) or {})
