"""Mexico's states and cities in what people type: "Monterey" -> Monterrey, Nuevo León; "CDMX"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.matcher import Found, Phrase, PhraseSet, best_non_overlapping, find_all, phrases
from bot.nlu.normalize import normalize

DATA = Path(__file__).with_name("data") / "states.yaml"


@dataclass(frozen=True)
class State:
    code: str  # INEGI code, "01".."32"
    name: str
    neighbors: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    state: State
    city: str | None  # the city or municipality named, as written in our data
    start: int = 0    # word span in the normalised text
    end: int = 0


class Places:
    def __init__(self, data: dict[str, dict]) -> None:
        self.states: dict[str, State] = {}
        found: list[Phrase] = []
        self._cities: dict[str, str] = {}
        for code, spec in data.items():
            code = str(code).zfill(2)
            self.states[code] = State(code, spec["name"], tuple(str(n).zfill(2) for n in spec.get("neighbors", ())))
            names = list(spec.get("aliases", ()))
            if spec.get("match_name", True):
                names.append(spec["name"])
            found += phrases(f"state:{code}", names)
            for city in spec.get("cities", ()):
                key = f"city:{code}:{city}"
                found += phrases(key, [city])
        self._phrases = PhraseSet(found)  # indexed once: every vacancy search reads it
        self._by_norm = {" ".join(p.words): p.key for p in self._phrases}

    @classmethod
    def load(cls, path: Path = DATA) -> Places:
        return _load(str(path))

    def state(self, code: str) -> State:
        return self.states[code.zfill(2)]

    def by_name(self, name: str) -> State | None:
        key = self._by_norm.get(normalize(name))
        return self.states[key.split(":")[1]] if key else None

    def find(self, text: str) -> Place | None:
        """The place named anywhere in the text ("albañil en Monterey"); None if none or unclear."""
        typed = normalize(text).split()
        hits = find_all(typed, self._phrases)
        if not hits:
            return None
        best = hits[0]
        rivals = {
            h.key.split(":")[1]
            for h in hits
            if (h.words, h.exact, h.start) == (best.words, best.exact, best.start)
        }
        if len(rivals) > 1:
            return None
        place = self._place(best)
        if place.city is None:
            # "Monterrey, Nuevo León": keep the city when it is in the same state.
            for other in best_non_overlapping(hits):
                candidate = self._place(other)
                if candidate.city and candidate.state == place.state:
                    return Place(place.state, candidate.city, min(place.start, candidate.start),
                                 max(place.end, candidate.end))
        return place

    def parse(self, text: str) -> Place | None:
        """The place when the whole answer is a place (a registration answer)."""
        typed = normalize(text).split()
        kept = best_non_overlapping(find_all(typed, self._phrases))
        if not kept or len({f.key.split(":")[1] for f in kept}) != 1:
            return None
        covered = {i for f in kept for i in range(f.start, f.end)}
        if any(w not in _FILLER for i, w in enumerate(typed) if i not in covered):
            return None
        places = [self._place(f) for f in kept]
        city = next((p.city for p in places if p.city), None)
        return Place(places[0].state, city, min(f.start for f in kept), max(f.end for f in kept))

    def _place(self, found: Found) -> Place:
        parts = found.key.split(":", 2)
        city = parts[2] if parts[0] == "city" else None
        return Place(self.states[parts[1]], city, found.start, found.end)


# Words around a place name that do not change it ("en Monterrey, Nuevo León", "I live in Tijuana").
_FILLER = {
    "en", "de", "del", "la", "el", "estado", "ciudad", "vivo", "estoy", "in", "i", "live", "am", "the",
    "city", "state", "of", "a", "au", "a", "mwen", "nan", "rete", "moro", "em", "no", "na", "do", "da",
    "je", "suis", "vis", "habite", "mexico", "mx", "y", "e", "and", "et",
}


@lru_cache(maxsize=4)
def _load(path: str) -> Places:
    return Places(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
