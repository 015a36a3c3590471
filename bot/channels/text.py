"""Fitting replies into a channel's message size: merge short ones, split long ones on paragraphs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.messages import Choice, Outbound

Measure = Callable[[str], int]

# Where a long text may be cut, best first: paragraphs, lines, sentences, words.
_BREAKS = ("\n\n", "\n", ". ", " ")


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji can count as two)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Pieces of at most `limit`, cut at the last paragraph break that fits, else a line,
    a sentence, a word, and only as a last resort inside a word."""
    text = text.strip()
    if measure(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    rest = text
    while measure(rest) > limit:
        cut = _cut_point(rest, limit, measure)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head:
            pieces.append(head)
    if rest:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, limit: int, measure: Measure) -> int:
    window = _longest_prefix(text, limit, measure)
    for separator in _BREAKS:
        at = text.rfind(separator, 0, window + 1)
        # A cut in the first fifth would leave a tiny piece: look for a finer break instead.
        if at > window // 5:
            return at + (1 if separator == ". " else 0)
    return window


def _longest_prefix(text: str, limit: int, measure: Measure) -> int:
    """How many characters of `text` fit in `limit` (binary search: measures may not be linear)."""
    low, high = 1, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def merge_replies(replies: Sequence[Outbound], limit: int, measure: Measure = len) -> list[Outbound]:
    """Consecutive replies become one message when they fit: the user gets one bubble, not four.
    A reply with choices closes its message (its buttons belong under its own text)."""
    merged: list[Outbound] = []
    for reply in replies:
        if not reply.text.strip() and not reply.choices:
            continue
        if merged and not merged[-1].choices:
            joined = "\n\n".join(t for t in (merged[-1].text.strip(), reply.text.strip()) if t)
            if measure(joined) <= limit:
                merged[-1] = Outbound(joined, reply.choices)
                continue
        merged.append(reply)
    return merged


def numbered(text: str, choices: tuple[Choice, ...]) -> str:
    """Choices as a numbered list under the text: the engine reads "2" as the second option."""
    lines = [f"{number}. {choice.label}" for number, choice in enumerate(choices, start=1)]
    return "\n\n".join(part for part in (text.strip(), "\n".join(lines)) if part)
