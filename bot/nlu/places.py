"""Mexico's states and cities in what people type: "Monterey" -> Monterrey, Nuevo León; "CDMX";
"Tuxtla"; "vivo en Villaflores".

Two sources, in this order: the hand-written names of bot/nlu/data/states.yaml (states, their
abbreviations, the cities people name most, read with a tolerance for typos), then every town
of 500 people or more (bot/nlu/gazetteer.py, exact names only). A greeting is never a place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.nlu.datafile import read_yaml
from bot.nlu.function_words import FUNCTION_WORDS
from bot.nlu.gazetteer import MAX_WORDS, Gazetteer, Town, open_gazetteer
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
    def __init__(self, data: dict[str, dict], gazetteer: Gazetteer | None = None) -> None:
        self.states: dict[str, State] = {}
        self.gazetteer = gazetteer
        found: list[Phrase] = []
        for code, spec in data.items():
            code = str(code).zfill(2)
            self.states[code] = State(code, spec["name"], tuple(str(n).zfill(2) for n in spec.get("neighbors", ())))
            names = list(spec.get("aliases", ()))
            if spec.get("match_name", True):
                names.append(spec["name"])
            found += phrases(f"state:{code}", names)
            for city in spec.get("cities", ()):
                found += phrases(f"city:{code}:{city}", [city])
            # "Tuxtla" is Tuxtla Gutiérrez: other names of a city, kept under its full name.
            for alias, city in (spec.get("city_aliases") or {}).items():
                found += phrases(f"city:{code}:{city}", [alias])
        self._phrases = PhraseSet(found)  # indexed once: every vacancy search reads it
        self._by_norm = {" ".join(p.words): p.key for p in self._phrases}

    @classmethod
    def load(cls, path: Path = DATA, *, with_gazetteer: bool = True) -> Places:
        return _load(str(path), with_gazetteer)

    def state(self, code: str) -> State:
        return self.states[code.zfill(2)]

    def by_name(self, name: str) -> State | None:
        key = self._by_norm.get(normalize(name))
        return self.states[key.split(":")[1]] if key else None

    def find(self, text: str) -> Place | None:
        """The place named anywhere in the text ("albañil en Monterey"); None if none or unclear.
        A town of the index counts after "en", "in", "nan"... ("cocinero en Villaflores"), or
        just before its state ("Villaflores, Chiapas")."""
        typed = normalize(text).split()
        hits = find_all(typed, self._phrases)
        if not hits:
            return None if _says_nothing(typed) else self._town_after_locative(typed)
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
            town = self._town_before(typed, place)
            if town:
                return town
        return place

    def parse(self, text: str, within: str | None = None, *, towns: bool = True) -> Place | None:
        """The place when the whole answer is a place (a registration answer); `within`: the
        state already known (a municipality question), whose towns come first; without `towns`,
        only the names of states.yaml."""
        typed = normalize(text).split()
        kept = best_non_overlapping(find_all(typed, self._phrases))
        curated = None
        if kept and len({f.key.split(":")[1] for f in kept}) == 1:
            covered = {i for f in kept for i in range(f.start, f.end)}
            if all(w in _FILLER for i, w in enumerate(typed) if i not in covered):
                places = [self._place(f) for f in kept]
                city = next((p.city for p in places if p.city), None)
                curated = Place(places[0].state, city, min(f.start for f in kept), max(f.end for f in kept))
        states = [f for f in kept if f.key.startswith("state:")]
        if not towns or (curated is None and _says_nothing(typed)):
            return curated
        if within is None:
            # "San Francisco de Campeche" is a town's whole name before it is a town and a state.
            return curated or self._whole_town(typed, [], None) or self._whole_town(typed, states, None)
        if curated and (curated.city or curated.state.code == within):
            # The state itself, or a city of states.yaml, here or in another state: Monterrey at a Chiapas question is
            # Nuevo León's (the answer says so); the village of Chiapas is "Monterrey, Chiapas".
            return curated
        # The state is known: its towns first (Nayarit's Xalisco is not Jalisco; Durango has a
        # municipality called Hidalgo).
        own = [f for f in states if f.key == f"state:{within}"]
        return self._whole_town(typed, [], within) or self._whole_town(typed, own, within) or curated

    def towns(self, text: str) -> list[Town]:
        """The towns of the index called exactly like the whole answer (their own name), most
        populous first: "there is a Jesús María in several states"."""
        key = " ".join(w for w in _trim(normalize(text).split()))
        if self.gazetteer is None or not key or _says_nothing(key.split()):
            return []
        return [t for t in self.gazetteer.lookup([key]).get(key, []) if t.primary]

    # -- the towns of the index (bot/nlu/gazetteer.py) -------------------------------------------

    def _whole_town(self, typed: list[str], states: list[Found], within: str | None) -> Place | None:
        """"Villaflores", "vivo en Villaflores, Chiapas": one town, and perhaps its state."""
        if self.gazetteer is None:
            return None
        covered = {i for f in states for i in range(f.start, f.end)}
        codes = {f.key.split(":")[1] for f in states}
        if len(codes) > 1:
            return None
        rest = [i for i in range(len(typed)) if i not in covered]
        if not rest or (rest[-1] - rest[0] + 1 != len(rest) and codes):
            return None
        # "El Llano" is a name, article and all; "vivo en El Llano" loses "vivo en".
        whole = [typed[i] for i in rest]
        words = _trim(whole)
        if not words:
            return None
        while whole and (whole[0] in _FILLER or whole[0] in FUNCTION_WORDS) and whole[0] not in _ARTICLES:
            whole = whole[1:]
        keys = list(dict.fromkeys([" ".join(whole), " ".join(words)]))
        wanted = within or next(iter(codes), None)
        found = self.gazetteer.lookup(keys)
        town, key = None, keys[-1]
        for key in keys:
            town = _pick(found.get(key, []), wanted)
            if town:
                words = key.split()
                break
        if town is None:
            # "Ocozocoautla" for Ocozocoautla de Espinosa; "Zacualtipán de Ángeles" for Zacualtipán.
            shorter = key.split(" de ")[0]
            longer = [t for t in self.gazetteer.starting(key) if wanted in (None, t.state)]
            town = (longer[0] if len(longer) == 1 else None) or (
                _pick(self.gazetteer.lookup([shorter]).get(shorter, []), wanted) if shorter != key else None
            )
        if town is None:
            return None
        start = typed.index(words[0]) if words[0] in typed else 0
        return Place(self.states[town.state], town.name, start, start + len(words))

    def _town_after_locative(self, typed: list[str]) -> Place | None:
        if self.gazetteer is None:
            return None
        spans = [
            (start, start + n) for n in range(min(MAX_WORDS, len(typed)), 0, -1)
            for start in range(1, len(typed) - n + 1) if typed[start - 1] in _LOCATIVE
        ]
        return self._first_town(typed, spans, None)

    def _town_before(self, typed: list[str], state: Place) -> Place | None:
        """"Villaflores Chiapas": a town of that state just before its name."""
        if self.gazetteer is None or state.start == 0:
            return None
        spans = [(state.start - n, state.start) for n in range(min(MAX_WORDS, state.start), 0, -1)]
        town = self._first_town(typed, spans, state.state.code)
        return Place(town.state, town.city, town.start, state.end) if town else None

    def _first_town(self, typed: list[str], spans: list[tuple[int, int]], within: str | None) -> Place | None:
        keys = {" ".join(typed[a:b]): (a, b) for a, b in spans if not _says_nothing(typed[a:b])}
        found = self.gazetteer.lookup(keys) if self.gazetteer and keys else {}
        for key, (start, end) in keys.items():  # longest first, as the spans were listed
            town = _pick(found.get(key, []), within)
            if town:
                return Place(self.states[town.state], town.name, start, end)
        return None

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


# Words before a town name in a sentence: "trabajo en Villaflores", "work in Tuxtla", "nan".
_LOCATIVE = {"en", "in", "a", "au", "nan", "em", "no", "na", "cerca", "near", "pres", "ciudad", "city",
             "ville", "cidade", "lavil", "municipio", "pueblo", "town"}
# Greetings are never places ("hola" at the state question; a village called Hola would not win).
_GREETINGS = {"hola", "buenas", "buenos", "dias", "tardes", "noches", "hello", "hi", "hey", "good",
              "morning", "evening", "bonjou", "bonswa", "sak", "pase", "bonjour", "bonsoir", "salut",
              "ola", "oi", "bom", "dia", "boa", "tarde", "noite", "ok"}
# A town must stand out to be taken from its name alone: this many times the people of the next
# town of that name in another state (Monterrey, Nuevo León over a Monterrey of 1,000 in Chiapas).
DOMINANT = 5
# People in a town known by another name of it, or named in a sentence without "en" before it.
CITY = 50_000


# Articles that begin town names ("El Llano", "La Trinitaria", "Las Margaritas").
_ARTICLES = {"el", "la", "las", "los"}


def _says_nothing(words: list[str]) -> bool:
    return all(w in _GREETINGS or w in FUNCTION_WORDS or w in _FILLER for w in words)


def _trim(words: list[str]) -> list[str]:
    """Filler words around a name go ("vivo en ..."); inside it they stay ("San Cristóbal de las Casas")."""
    start, end = 0, len(words)
    while start < end and (words[start] in _FILLER or words[start] in FUNCTION_WORDS):
        start += 1
    while end > start and (words[end - 1] in _FILLER or words[end - 1] in FUNCTION_WORDS):
        end -= 1
    return words[start:end]


def _pick(towns: list[Town], within: str | None) -> Town | None:
    """The town meant: the one in the state known, the only one, or one far more populous than
    the towns of that name elsewhere. None when it is not clear. Another name of a town (GeoNames'
    alternate names: "Victoria" for Ciudad Victoria) counts only for a city."""
    if within is not None:
        return next((t for t in towns if t.state == within), None)
    by_state: dict[str, Town] = {}
    for town in (t for t in towns if t.primary or t.population >= CITY):  # most populous first
        by_state.setdefault(town.state, town)
    ranked = list(by_state.values())
    if len(ranked) == 1:
        return ranked[0]
    if len(ranked) > 1 and ranked[0].population >= DOMINANT * max(ranked[1].population, 1):
        return ranked[0]
    return None


@lru_cache(maxsize=4)
def _load(path: str, with_gazetteer: bool = True) -> Places:
    data = read_yaml(path)
    return Places(data, open_gazetteer() if with_gazetteer else None)
