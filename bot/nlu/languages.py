"""Languages a person speaks, named in any of the five languages ("español y kreyòl") -> codes."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

from bot.languages import LANGUAGES
from bot.nlu.matcher import Phrase, best_non_overlapping, find_all, phrases
from bot.nlu.normalize import normalize

# The languages we recognise: ours, those of the people who migrate through Mexico (Mayan
# languages of Guatemala, French- and English-speaking Africa, South Asia), and a few more.
# A short list on purpose: Babel knows ~600 names, and some are everyday words ("ido").
SPOKEN: tuple[str, ...] = (
    "es", "ht", "fr", "en", "pt", "quc", "mam", "zap", "ar", "zh", "ru", "uk", "de", "it",
    "wo", "ln", "ff", "bm", "sw", "am", "ti", "so", "ha", "yo", "ig", "hi", "bn", "ur", "ne",
    "pa", "fa", "tr", "ja", "ko",
)

# Names Babel lacks (Mam has no CLDR data) and words people use ("criollo", "kreyòl", "panyòl").
_EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {"es": ("castellano",), "ht": ("panyòl", "panyol"), "en": ("spanish",)},
    "ht": {"es": ("criollo", "creole", "kreyol", "kreyòl"), "ht": ("kreyòl", "kreyol", "ayisyen"),
           "fr": ("créole", "creole"), "en": ("creole", "kreyol"), "pt": ("crioulo", "creole")},
    "fr": {"ht": ("franse", "fransè")},
    "en": {"ht": ("angle", "anglè")},
    "pt": {"ht": ("pòtigè", "potige"), "pt": ("brasileiro",)},
    "mam": {lang: ("mam",) for lang in LANGUAGES},
    "quc": {lang: ("kiche", "k'iche'", "quiche") for lang in LANGUAGES},
}
# Creole labels (Babel's Creole data has French names); a native speaker should check them.
_CREOLE_LABELS = {"es": "panyòl", "fr": "franse", "en": "angle", "pt": "pòtigè", "ht": "kreyòl"}


def label(code: str, lang: str) -> str:
    """The language's name for a reader of `lang`."""
    if lang == "ht" and code in _CREOLE_LABELS:
        return _CREOLE_LABELS[code]
    if code == "mam":
        return "mam"
    return _names(lang).get(code) or code


@lru_cache(maxsize=8)
def _names(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).languages)


class SpokenLanguages:
    def __init__(self) -> None:
        self._phrases: list[Phrase] = []
        for code in SPOKEN:
            names: set[str] = set()
            for lang in LANGUAGES:
                names.add(label(code, lang))
                names |= set(_EXTRA.get(code, {}).get(lang, ()))
            names.add(_autonym(code))
            self._phrases += phrases(code, sorted(n for n in names if n))

    def find(self, text: str) -> list[str]:
        """Every language named in the text, in the order written, each once."""
        typed = normalize(text).split()
        kept = best_non_overlapping(find_all(typed, self._phrases))
        codes: list[str] = []
        for found in sorted(kept, key=lambda f: f.start):
            if found.key not in codes:
                codes.append(found.key)
        return codes


def _autonym(code: str) -> str:
    """The language's own name ("português"), when Babel has data for it."""
    try:
        return Locale.parse(code).get_display_name(code) or ""
    except (UnknownLocaleError, ValueError):
        return ""


@lru_cache(maxsize=1)
def spoken_languages() -> SpokenLanguages:
    return SpokenLanguages()
