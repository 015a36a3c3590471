"""The full name: letters, capitals as people write names."""

from __future__ import annotations

import re
import unicodedata

from actions.registration.fields.refusal import Refusal

NAME_MARKS = set(" .'-’")


_PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "e", "van", "von", "du", "des"}
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _capitalised(name: str) -> str:
    """'MARÍA DE LA CRUZ' -> 'María de la Cruz', 'jean-baptiste' -> 'Jean-Baptiste'."""
    words = []
    for index, word in enumerate(name.split()):
        if index and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append(_LETTER_RUN.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), word))
    return " ".join(words)


def full_name(text: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if any(c.isdigit() for c in name):
        raise Refusal("reg_name_digits")
    if any(not (c.isalpha() or c in NAME_MARKS or unicodedata.category(c) == "Mn") for c in name):
        raise Refusal("reg_name_symbols")
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    if sum(1 for c in name if c.isalpha()) < 4 or not words:
        raise Refusal("reg_name_short")
    if len(words) < 2:
        raise Refusal("reg_name_surname")
    if name.isupper() or name.islower():
        name = _capitalised(name)  # all in capitals or in small letters: written the usual way
    return name


