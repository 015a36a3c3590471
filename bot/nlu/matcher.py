"""Fuzzy matching of user text against labels and keywords, tolerant of accents and typos."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.nlu.normalize import normalize


def allowed_edits(word: str) -> int:
    """Typos tolerated in a word: none for short words (too many false friends), then 1, then 2."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


def word_matches(typed: str, expected: str) -> bool:
    if typed == expected:
        return True
    limit = allowed_edits(expected)
    if limit == 0 or abs(len(typed) - len(expected)) > limit:
        return False
    return Levenshtein.distance(typed, expected, score_cutoff=limit) <= limit


@dataclass(frozen=True)
class Phrase:
    """A normalised label or keyword, pointing at what it stands for."""

    key: str
    words: tuple[str, ...]
    weight: int = 0  # breaks ties: labels over keywords, the user's language over others

    @classmethod
    def of(cls, key: str, text: str, weight: int = 0) -> Phrase | None:
        words = tuple(normalize(text).split())
        return cls(key, words, weight) if words else None


def phrases(key: str, texts: Iterable[str], weight: int = 0) -> list[Phrase]:
    return [p for t in texts if (p := Phrase.of(key, t, weight)) is not None]


class PhraseSet(tuple[Phrase, ...]):
    """An immutable group of phrases with an index of exact wordings, built once at load time:
    most answers are typed exactly, and a dictionary lookup answers them without fuzzy scoring.

    `known`: words of the languages (the training examples' frequent words). A typed word that
    is one of them means itself (or its own longer or shorter form), never a different phrase word
    one letter away: "mexico" is not a typo of "medico", Portuguese "chefe" (boss) is not Creole
    "chofe" (driver)."""

    exact: dict[tuple[str, ...], frozenset[str]]
    known: frozenset[str]

    def __new__(cls, items: Iterable[Phrase] = (), known: frozenset[str] = frozenset()) -> PhraseSet:
        made = super().__new__(cls, items)
        made.known = known
        index: dict[tuple[str, ...], set[str]] = {}
        for phrase in made:
            index.setdefault(phrase.words, set()).add(phrase.key)
        made.exact = {words: frozenset(keys) for words, keys in index.items()}
        return made


def exact_key(typed: tuple[str, ...], candidates: Sequence[Phrase]) -> str | None:
    """The key whose phrase is exactly the typed words, when only one key has it."""
    index = getattr(candidates, "exact", None)
    if index is not None:
        keys = index.get(typed, frozenset())
    else:
        keys = frozenset(p.key for p in candidates if p.words == typed)
    return next(iter(keys)) if len(keys) == 1 else None


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    for start in range(len(haystack) - n + 1):
        if all(word_matches(haystack[start + i], needle[i]) for i in range(n)):
            return True
    return False


def _score_whole(typed: tuple[str, ...], phrase: Phrase, partial: bool = True) -> int:
    """How well the whole message stands for the phrase; 0 is no match."""
    if typed == phrase.words:
        return 1000
    if len(typed) == len(phrase.words) and all(map(word_matches, typed, phrase.words)):
        return 900
    # "derechos" for the label "Mis derechos": every typed word is in the label.
    if partial and len(typed) < len(phrase.words) and _contains(phrase.words, typed) and sum(
        len(w) for w in typed
    ) >= 4:
        return 500 + 10 * len(typed)
    # "quiero el menu" for the keyword "menu": the phrase is in the message.
    if len(phrase.words) < len(typed) and len(typed) <= 6 and _contains(typed, phrase.words) and sum(
        len(w) for w in phrase.words
    ) >= 4:
        return 300 + 10 * len(phrase.words)
    return 0


def match_whole(text: str, candidates: Sequence[Phrase], *, partial: bool = True) -> str | None:
    """The one key the whole message names, or None when nothing or several match equally.

    `partial` lets a few words of a long label stand for it ("derechos" for "Mis derechos");
    commands turn it off, so that "mis datos" never means "borrar mis datos".
    """
    typed = tuple(normalize(text).split())
    if not typed:
        return None
    found = exact_key(typed, candidates)
    if found is not None:
        return found
    if isinstance(candidates, PhraseSet):
        candidates = _could_match(typed, candidates, partial)
    return _unique_best((_score_whole(typed, p, partial), p) for p in candidates)


def _could_match(typed: tuple[str, ...], candidates: PhraseSet, partial: bool) -> list[Phrase]:
    """The phrases _score_whole can score above 0: all their words are in the message, or (with
    `partial`) all the message's words are in them. Found with the word index (in C), so that
    a turn scores a handful of phrases, not every command of every language."""
    index = _word_index(candidates)
    where = index.positions(typed)
    everywhere = set(range(len(typed)))
    kept = []
    # Either way a phrase shares a word with the message: only those are looked at.
    for phrase in index.sharing(where):
        if all(w in where for w in phrase.words):
            kept.append(phrase)
        elif partial and len(typed) < len(phrase.words):
            covered: set[int] = set()
            for word in phrase.words:
                covered |= where.get(word, set())
            if covered >= everywhere:
                kept.append(phrase)
    return kept


def match_within(text: str, candidates: Sequence[Phrase]) -> str | None:
    """The key of the longest phrase found anywhere in the message ("no me pagaron el sábado")."""
    found = best_within(text, candidates)
    return found[0] if found else None


def best_within(text: str, candidates: Sequence[Phrase]) -> tuple[str, int] | None:
    """Like match_within, with the score: longer phrases (more words, then letters) score higher."""
    typed = tuple(normalize(text).split())
    if not typed:
        return None
    index = _word_index(candidates)
    where = index.positions(typed)
    scored = []
    for phrase in index.starting_with(where):
        n = len(phrase.words)
        starts = [i for i in where.get(phrase.words[0], ())
                  if all(i + k in where.get(phrase.words[k], ()) for k in range(1, n))]
        if not starts:
            continue
        # Spelled exactly beats a near miss of the same length ("aginaldo" is Creole, not a typo).
        exact = any(typed[i:i + n] == phrase.words for i in starts)
        scored.append((100 * n + sum(len(w) for w in phrase.words) + (50 if exact else 0), phrase))
    key = _unique_best(scored)
    return (key, max(score for score, p in scored if p.key == key)) if key else None


# Typed words remembered per index (a word and its matches: well under 1 MB at this size).
MEMO_WORDS = 4096


class _WordIndex:
    """The distinct words of a group of phrases: each typed word is compared once with each, in C."""

    def __init__(self, candidates: Sequence[Phrase]) -> None:
        words = {w for p in candidates for w in p.words}
        self.exact = frozenset(words)
        self.known: frozenset[str] = getattr(candidates, "known", frozenset())
        self.fuzzy = sorted(w for w in words if allowed_edits(w))
        self._memo: dict[str, tuple[str, ...]] = {}
        self.first: dict[str, list[Phrase]] = {}
        # Each word's phrases, by their position in the group (to keep the group's order).
        self.containing: dict[str, list[int]] = {}
        self.phrases = tuple(candidates)
        for number, phrase in enumerate(self.phrases):
            self.first.setdefault(phrase.words[0], []).append(phrase)
            for word in set(phrase.words):
                self.containing.setdefault(word, []).append(number)

    def sharing(self, where: dict[str, set[int]]) -> list[Phrase]:
        """The phrases with at least one of these words, in the group's order."""
        numbers = {n for word in where for n in self.containing.get(word, ())}
        return [self.phrases[n] for n in sorted(numbers)]

    def starting_with(self, where: dict[str, set[int]]) -> list[Phrase]:
        """The phrases whose first word was found: the only ones that can occur in the text."""
        return [p for word in where for p in self.first.get(word, ())]

    def positions(self, typed: Sequence[str]) -> dict[str, set[int]]:
        """For each phrase word, where it occurs in the typed words (with word_matches' tolerance)."""
        found: dict[str, set[int]] = {}
        for i, word in enumerate(typed):
            for expected in self.matches(word):
                found.setdefault(expected, set()).add(i)
        return found

    def matches(self, word: str) -> tuple[str, ...]:
        """The phrase words a typed word stands for. Remembered: people write the same words
        ("trabajo", "monterrey", "en") over and over, and each is compared with thousands."""
        remembered = self._memo.get(word)
        if remembered is not None:
            return remembered
        known = word in self.known
        found = [word] if word in self.exact else []
        for expected, distance, _ in process.extract(
            word, self.fuzzy, scorer=Levenshtein.distance, score_cutoff=2, limit=None
        ):
            if distance <= allowed_edits(expected) and expected != word:
                # A word of the language stands only for its own other forms ("extras" for
                # "extra"), never for a different word one letter away ("mexico", "medico").
                if not known or expected.startswith(word) or word.startswith(expected):
                    found.append(expected)
        if len(self._memo) >= MEMO_WORDS:
            self._memo.clear()
        self._memo[word] = result = tuple(found)
        return result


def _word_index(candidates: Sequence[Phrase]) -> _WordIndex:
    """A PhraseSet (content, compiled once per revision) keeps its index; other groups are small."""
    if not isinstance(candidates, PhraseSet):
        return _WordIndex(candidates)
    index = getattr(candidates, "word_index", None)
    if index is None:
        index = candidates.word_index = _WordIndex(candidates)
    return index


def _unique_best(scored: Iterable[tuple[int, Phrase]]) -> str | None:
    best_score, best_keys, best_weight = 0, set(), -1
    for score, phrase in scored:
        if score <= 0:
            continue
        if score > best_score or (score == best_score and phrase.weight > best_weight):
            best_score, best_keys, best_weight = score, {phrase.key}, phrase.weight
        elif score == best_score and phrase.weight == best_weight:
            best_keys.add(phrase.key)
    return next(iter(best_keys)) if len(best_keys) == 1 else None


@dataclass(frozen=True)
class Found:
    key: str
    start: int
    end: int  # word positions in the normalised text, end exclusive
    exact: bool
    words: int


def find_all(typed: Sequence[str], candidates: Iterable[Phrase]) -> list[Found]:
    """Every place a phrase occurs in the words, typos tolerated; longest, then exact, first.
    A PhraseSet (trades, places: thousands of phrases) is searched through its word index."""
    found: list[Found] = []
    if isinstance(candidates, PhraseSet):
        index = _word_index(candidates)
        where = index.positions(typed)
        for phrase in index.starting_with(where):
            n = len(phrase.words)
            for start in sorted(where[phrase.words[0]]):
                if start + n <= len(typed) and all(start + k in where.get(phrase.words[k], ()) for k in range(1, n)):
                    window = tuple(typed[start:start + n])
                    found.append(Found(phrase.key, start, start + n, window == phrase.words, n))
    else:
        for phrase in candidates:
            n = len(phrase.words)
            for start in range(len(typed) - n + 1):
                window = typed[start:start + n]
                if all(word_matches(window[i], phrase.words[i]) for i in range(n)):
                    found.append(Found(phrase.key, start, start + n, tuple(window) == phrase.words, n))
    found.sort(key=lambda f: (-f.words, not f.exact, f.start))
    return found


def best_non_overlapping(found: list[Found]) -> list[Found]:
    """Greedy: keep the strongest matches that do not share words."""
    taken: set[int] = set()
    kept: list[Found] = []
    for item in found:
        span = set(range(item.start, item.end))
        if span & taken:
            continue
        taken |= span
        kept.append(item)
    return kept
