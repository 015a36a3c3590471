"""Function words around a request ("I want to...", "por favor", "mwen vle"): what is left once
they are set aside is what the message is about. A command said in a sentence ("quiero borrar mis
datos") is told from a name or an address by these words alone.

The rule (used at free-text questions, where a name must never be taken for a command): the
message's content words are exactly those of one command phrase. "quiero borrar mis datos" ->
(borrar, datos) = "borrar mis datos"; "Menu Soto" -> (menu, soto), a name; "Rosa María" -> a name.
No word here may be a given name or a surname on its own, nor a word of a command.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.nlu.matcher import Phrase, PhraseSet, word_matches
from bot.nlu.normalize import normalize

_WORDS = {
    "es": """a al algo ahora bueno dame de del deseo el favor gracias hola ir la las lo los me mi mis
        necesito oye ok okey para podria podrias por porfa puedes puedo pues que queria quiero
        quisiera se solo solamente te todas todo todos toda tu tus ver volver regresar atras y ya yo""",
    "ht": """a ak al bonjou kounye la m mesi mwen nan nou ou pou sa silvouple souple ta tanpri tout
        renmen vle yo retounen tounen ki selman""",
    "fr": """a au aux d de des du est je j l la le les m ma me merci mes moi mon ou pouvez pourriez
        peux plait s salut stp svp tous tout toutes veux voudrais vous et il aller revenir retour
        maintenant bonjour seulement celles ceux celle celui qui que""",
    "en": """a all an and can could hello hi i just lets let me my now ok okay please pls the
        thanks to want would like you go back us only that which ones one those""",
    "pt": """a agora as da das de do dos e eu gostaria meu meus minha minhas me o obrigado oi ola os
        ou pode por posso preciso queria quero todas todos tudo voltar ir favor so somente apenas que""",
}

FUNCTION_WORDS: frozenset[str] = frozenset(
    normalize(word) for text in _WORDS.values() for word in text.split()
)
# Longer messages are sentences about something else, not a command with a few words around it.
MAX_WORDS = 10


def content_words(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in FUNCTION_WORDS)


def match_content(text: str, candidates: Sequence[Phrase]) -> str | None:
    """The one key whose phrase has exactly the message's content words, or None.

    A command of one content word ("menú", "ayuda") must be spelled exactly: a typo of a longer
    command phrase is tolerated ("borar mis datos"), a lone word close to a name is not."""
    typed = tuple(normalize(text).split())
    if not typed or len(typed) > MAX_WORDS:
        return None
    wanted = content_words(typed)
    if not wanted:
        return None
    index, by_word = _content_index(candidates)
    found = index.get(wanted, set())
    if not found and len(wanted) >= 2:
        # A typo in one word of a longer command ("borar mis datos"): the others are spelled.
        near = {own for word in wanted for own in by_word.get(word, ())}
        found = {
            key for own in near if len(own) == len(wanted) and all(map(word_matches, wanted, own))
            for key in index[own]
        }
    return next(iter(found)) if len(found) == 1 else None


ContentIndex = tuple[dict[tuple[str, ...], set[str]], dict[str, list[tuple[str, ...]]]]


def _content_index(candidates: Sequence[Phrase]) -> ContentIndex:
    """Content words -> keys, and each word -> the content words it is in; kept on a PhraseSet
    (compiled once per content revision)."""
    cached = getattr(candidates, "content_index", None)
    if cached is not None:
        return cached
    index: dict[tuple[str, ...], set[str]] = {}
    by_word: dict[str, list[tuple[str, ...]]] = {}
    for phrase in candidates:
        own = content_words(phrase.words)
        if own:
            index.setdefault(own, set()).add(phrase.key)
    for own in index:
        for word in set(own):
            by_word.setdefault(word, []).append(own)
    if isinstance(candidates, PhraseSet):
        candidates.content_index = (index, by_word)  # type: ignore[attr-defined]
    return index, by_word


def match_covered(text: str, candidates: Sequence[Phrase]) -> str | None:
    """The one key whose phrases, with function words, make up the whole message: "sí claro"
    (sí + claro), "yes please", "no, no acepto". Exact words only: these phrases are short."""
    return covered_by(tuple(normalize(text).split()), candidates)


def covered_by(typed: tuple[str, ...], candidates: Sequence[Phrase]) -> str | None:
    """match_covered for words already normalised."""
    if not typed or len(typed) > MAX_WORDS:
        return None
    words = _words_of(candidates)
    if any(w not in words and w not in FUNCTION_WORDS for w in typed):
        return None  # the common case, answered without looking for phrases
    spans: dict[str, set[int]] = {}
    for phrase in candidates:
        n = len(phrase.words)
        for start in range(len(typed) - n + 1):
            if typed[start:start + n] == phrase.words:
                spans.setdefault(phrase.key, set()).update(range(start, start + n))
    around = {i for i, word in enumerate(typed) if word in FUNCTION_WORDS}
    whole = set(range(len(typed)))
    found = [key for key, covered in spans.items() if covered | around >= whole]
    return found[0] if len(found) == 1 else None


def _words_of(candidates: Sequence[Phrase]) -> frozenset[str]:
    words = getattr(candidates, "all_words", None)
    if words is None:
        words = frozenset(w for p in candidates for w in p.words)
        if isinstance(candidates, PhraseSet):
            candidates.all_words = words  # type: ignore[attr-defined]
    return words
