"""The privacy notice is versioned with its text, and what it tells people to type works."""

from __future__ import annotations

import hashlib
import re

import pytest

from bot.content.loader import read_pack
from bot.content.source import ContentSource
from bot.engine import CompiledContent
from bot.engine.answers import match_command, match_trigger
from bot.languages import LANGUAGES
from bot.settings import PROJECT_ROOT
from bot.registration.privacy_notice import PRIVACY_NOTICE_SHA256

QUOTED = re.compile(r"[«“]\s*([^»”]+?)\s*[»”]")
# Texts that tell the user a word to type: each quoted word must be a command or lead here.
TELLS_WHAT_TO_TYPE = (
    "registration.consent.say", "registration.declined.say", "registration.cancel.say",
    "responses.reg_municipality_elsewhere", "responses.my_data_registration",
)


def test_the_notice_version_changes_with_its_text() -> None:
    docs, _, _ = read_pack(ContentSource.from_directory(PROJECT_ROOT))
    notice = {item.ctx: item.source for item in docs.texts()}["registration.consent.say"]
    assert hashlib.sha256(notice.encode()).hexdigest() == PRIVACY_NOTICE_SHA256, (
        "the privacy notice changed: raise PRIVACY_NOTICE_VERSION in bot/registration/privacy_notice.py "
        "and update PRIVACY_NOTICE_SHA256, so that people accept the new text"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_words_the_registration_tells_users_to_type_work(content: CompiledContent, lang: str) -> None:
    for ctx in TELLS_WHAT_TO_TYPE:
        flow_or_kind, _, rest = ctx.partition(".")
        local = (content.responses[rest] if flow_or_kind == "responses"
                 else content.step(ctx.rsplit(".", 1)[0]).say)
        text, fell_back = local.get(lang)
        assert not fell_back, ctx
        words = QUOTED.findall(text)
        assert words, f"{ctx} ({lang}) quotes no word to type"
        for word in words:
            command = match_command(content, word, lang, strict=True)
            trigger = match_trigger(content, word, lang, whole=True)
            assert command or (trigger and trigger[0] == "registration.start"), f"{lang}: «{word}» in {ctx}"
