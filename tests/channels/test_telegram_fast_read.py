"""The fast reading of common updates gives exactly what python-telegram-bot's parsing gives."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bot.channels.telegram.inbound import parse_update, read_common, read_update

DATA = Path(__file__).resolve().parents[1] / "data" / "telegram"
SAMPLES = sorted(p.name for p in DATA.glob("*.json"))


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_reads_the_same_either_way(name: str) -> None:
    data = load(name)
    fast = read_common(copy.deepcopy(data))
    if fast is not None:
        assert fast == read_update(parse_update(data))


def test_text_and_buttons_take_the_fast_way() -> None:
    assert read_common(load("text.json")) is not None
    assert read_common(load("callback_query.json")) is not None


@pytest.mark.parametrize("name", ["group_message.json", "start_deep_link.json", "photo.json", "edited_message.json",
                                  "my_chat_member_kicked.json"])
def test_other_shapes_go_through_the_sdk(name: str) -> None:
    assert read_common(load(name)) is None


@pytest.mark.parametrize("change", [
    lambda d: d["message"]["from"].pop("id"),
    lambda d: d["message"]["from"].__setitem__("id", "12"),
    lambda d: d["message"]["chat"].__setitem__("type", "group"),
    lambda d: d["message"].__setitem__("text", ""),
    lambda d: d["message"].__setitem__("text", 12),
    lambda d: d["message"].pop("date"),
    lambda d: d.__setitem__("update_id", "1"),
    lambda d: d.__setitem__("edited_message", {}),
])
def test_anything_unexpected_is_left_to_the_sdk(change) -> None:  # type: ignore[no-untyped-def]
    data = load("text.json")
    change(data)
    assert read_common(data) is None
