"""Reading a job search from one sentence in any language: trade, place and other words."""

from __future__ import annotations

from bot.nlu.normalize import MAX_MATCH_CHARS, normalize
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.spec import MAX_WORDS, SearchSpec
from bot.vacancies.stopwords import AMBIGUOUS_PLACE_WORDS, STOPWORDS

# Longer messages are not a search; the first words are enough.
MAX_TOKENS = 40
_MASK = "0"  # keeps word positions while hiding a word from a matcher


def read_request(text: str, lang: str, occupations: Occupations, places: Places) -> SearchSpec:
    """"busco trabajo de albañil en Monterey" -> trades (construction,), state 19, city Monterrey."""
    tokens = normalize(text).split()
    if len(text) > MAX_MATCH_CHARS:
        tokens = tokens[:-1]  # normalize() cut the paste, perhaps in the middle of a word
    tokens = tokens[:MAX_TOKENS]
    masked = [_MASK if t in AMBIGUOUS_PLACE_WORDS else t for t in tokens]
    place = places.find(" ".join(masked))
    taken: set[int] = set(range(place.start, place.end)) if place else set()
    # The place's words are hidden so that "Guadalupe" or "Cuauhtémoc" do not read as a trade.
    rest = " ".join(_MASK if i in taken else t for i, t in enumerate(tokens))
    trades: list[str] = []
    for found in occupations.find_all(rest, lang):
        taken |= set(range(found.start, found.end))
        if found.trade.id not in trades:
            trades.append(found.trade.id)
    words = [
        t for i, t in enumerate(tokens)
        if i not in taken and t not in STOPWORDS and len(t) >= 3 and not t.isdigit()
    ]
    return SearchSpec(
        trades=tuple(trades),
        state=place.state.code if place else None,
        city=place.city if place else None,
        words=tuple(dict.fromkeys(words))[:MAX_WORDS],
    )
