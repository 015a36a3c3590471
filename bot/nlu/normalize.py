"""Text normalisation shared by every matcher: case, accents, punctuation and spacing."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Long pastes are cut before any matching work: no keyword or label is this long.
MAX_MATCH_CHARS = 400


def normalize(text: str) -> str:
    """'¿Qué   SALÁRIO?' -> 'que salario'. Emoji, symbols and control characters vanish."""
    return _normalized(text[:MAX_MATCH_CHARS])


# A turn normalises its message about six times (commands, greetings, triggers, the step's
# choices, the classifier): the last few texts are remembered (at most 400 characters each).
@lru_cache(maxsize=256)
def _normalized(text: str) -> str:
    if text.isascii():  # no accents to take off (most English and many Creole words)
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _NON_WORD.sub(" ", decomposed.translate(_unmarked())).strip()


@lru_cache(maxsize=1)
def _unmarked() -> dict[int, str | None]:
    """str.translate's table: every combining mark (the accents NFKD took apart) removed, and
    the ligatures casefold keeps spelled out (ß is already "ss"). Built on first use, ~0.06 s;
    a character at a time in Python took twice as long on the content's examples."""
    table: dict[int, str | None] = {
        code: None for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))
    }
    table.update({ord("æ"): "ae", ord("œ"): "oe"})
    return table


_NON_LETTER = re.compile(r"[\W_]+")


def accented_words(text: str) -> frozenset[str]:
    """The words that carry accents, lowercased ('Salário MÍNIMO' -> salário, mínimo)."""
    words = _NON_LETTER.split(unicodedata.normalize("NFC", text[:MAX_MATCH_CHARS].casefold()))
    return frozenset(w for w in words if w and not w.isascii())


def tokens(text: str) -> tuple[str, ...]:
    return tuple(normalize(text).split())


def clean_text(text: str, limit: int) -> str:
    """What is kept of a user's free text: printable, single-spaced, at most `limit` characters."""
    printable = "".join(
        c if unicodedata.category(c)[0] != "C" else " " for c in text
    )
    return " ".join(printable.split())[:limit]
