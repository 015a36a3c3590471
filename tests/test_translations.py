"""Every shipped text exists in every language, and what the texts promise works."""

from __future__ import annotations

import re

import pytest

from bot.content.catalog import statistics
from bot.content.loader import read_pack
from bot.content.source import ContentSource
from bot.engine import CompiledContent
from bot.engine.answers import match_command
from bot.languages import LANGUAGES
from bot.settings import PROJECT_ROOT

QUOTED = re.compile(r"[«“]\s*([^»”]+?)\s*[»”]")


def test_every_text_is_translated_in_every_language() -> None:
    docs, catalogs, errors = read_pack(ContentSource.from_directory(PROJECT_ROOT))
    assert errors == []
    texts = {item.ctx: item.source for item in docs.texts()}
    for row in statistics(texts, catalogs):
        assert (row.missing, row.fuzzy) == (0, 0), f"{row.language}: {row.missing} missing, {row.fuzzy} fuzzy"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_words_the_bot_tells_users_to_type_are_commands(content: CompiledContent, lang: str) -> None:
    """The help says «menú», «atrás»...: each quoted word must work in that language."""
    for key in ("help", "first_topic"):
        text, fell_back = content.messages[key].get(lang)
        assert not fell_back
        for word in QUOTED.findall(text):
            assert match_command(content, word, lang, strict=True), f"{lang}: «{word}» is not a command"


def test_compiled_catalogs_are_never_committed() -> None:
    assert not list((PROJECT_ROOT / "locales").rglob("*.mo"))
