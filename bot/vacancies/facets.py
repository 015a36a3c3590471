"""Facets: words added to a vacancy's full-text document so that filters (state, city, SINCO
group, accepted documents, trades) are answered by the same index as the text, in one lookup.

Trades are read from the title with the trade names of every language (bot/nlu/data/
occupations.yaml) when the vacancy is stored: after editing that file, run
`puente vacancies reindex`."""

from __future__ import annotations

from collections.abc import Iterable

from bot.nlu.normalize import normalize
from bot.nlu.occupations import Occupations

# Trades whose SINCO code is this precise mark every vacancy of that code (712 albañiles).
PRECISE_SINCO = 3
# Like the search: a name of 4 letters or more also matches a longer word.
MIN_PREFIX = 4


def state_facet(code: str) -> str:
    return f"st{code}"


def city_facet(state: str, city: str) -> str:
    """Scoped by state: there is a Guadalupe in Nuevo León and one in Zacatecas."""
    return f"mun{state}" + normalize(city).replace(" ", "")


def sinco_facet(prefix: str) -> str:
    return f"sc{prefix}"


def document_facet(document: str) -> str:
    return "doc" + document.replace("_", "")


def trade_facet(trade_id: str) -> str:
    return "tr" + trade_id.replace("_", "")


class TradeTagger:
    """Trades a vacancy title names, with the names of every language: whole words, the last
    one also as the start of a longer word ("cosecha" in "Cosechador", "albañil" in "Albañiles").
    No typo tolerance here: titles are written by staff, and "cortador" is not "contador"."""

    def __init__(self, occupations: Occupations) -> None:
        self.singles: dict[str, set[str]] = {}
        self.phrases: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for trade in occupations.trades.values():
            for name in trade.words():
                words = tuple(name.split())
                if len(words) == 1:
                    self.singles.setdefault(words[0], set()).add(trade.id)
                elif words:
                    self.phrases.setdefault(words[0], []).append((trade.id, words))
        self.precise = {t.id: t.sinco for t in occupations.trades.values() if len(t.sinco) >= PRECISE_SINCO}

    def trades(self, title: str, sinco: str | None = None) -> list[str]:
        tokens = normalize(title).split()
        found: set[str] = set()
        for i, token in enumerate(tokens):
            found |= self.singles.get(token, set())
            for cut in range(MIN_PREFIX, len(token)):  # "albanil" in "albaniles"
                found |= self.singles.get(token[:cut], set())
            for trade, words in self.phrases.get(token, ()):
                if _continues(tokens, i, words):
                    found.add(trade)
        if sinco:
            found |= {t for t, code in self.precise.items() if sinco.startswith(code)}
        return sorted(found)


def _continues(tokens: list[str], start: int, words: tuple[str, ...]) -> bool:
    if start + len(words) > len(tokens):
        return False
    for offset, word in enumerate(words):
        token = tokens[start + offset]
        last = offset == len(words) - 1
        if token != word and not (last and len(word) >= MIN_PREFIX and token.startswith(word)):
            return False
    return True


def facets_of(
    *, state: str, municipality: str | None, sinco: str | None, documents: Iterable[str], title: str,
    tagger: TradeTagger,
) -> str:
    tokens = [state_facet(state)]
    if municipality and normalize(municipality):
        tokens.append(city_facet(state, municipality))
    if sinco:
        tokens += [sinco_facet(sinco[:n]) for n in range(1, len(sinco) + 1)]
    tokens += [document_facet(d) for d in documents]
    tokens += [trade_facet(t) for t in tagger.trades(title, sinco)]
    return " ".join(tokens)
