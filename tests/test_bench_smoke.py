"""The benchmark harness (bench/, docs/benchmarks.md) still measures what it claims: one
second of Telegram saturation against Puente and the do-nothing endpoint, served as
subprocesses, with the load generator's fake Bot API."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from bench.common import processed_ids
from bench.e2e import Options, load_for, served
from bench.fake_apis import FakeApis
from bench.loadgen import Result
from bench.people import Telegram, WhatsApp
from bot.engine import CompiledContent
from bot.languages import LANGUAGES


def saturate(target: str, work: Path) -> tuple[Result, list[str]]:
    async def run() -> tuple[Result, list[str]]:
        apis = FakeApis()
        await apis.start()
        try:
            async with served(target, apis, work, Options()) as (server, url):
                async with load_for("telegram", target, apis, server, Options(users=24, connections=4)) as load:
                    result = await load.saturation(1.0, warmup=0.2, target=target)
                recorded = processed_ids(url, "telegram") if url else []
            return result, recorded
        finally:
            await apis.stop()

    return asyncio.run(run())


def test_every_puente_turn_is_answered_and_counted_once(tmp_path: Path) -> None:
    result, recorded = saturate("puente", tmp_path)
    assert len(result.outcomes) >= 10, "a second of load should run at least ten turns"
    assert result.statuses == Counter({200: len(result.outcomes)})
    # Each update got its reply in the webhook response, and the bot stored it exactly once.
    assert [o.answered for o in result.outcomes] == [1] * len(result.outcomes)
    assert sorted(o.external_id for o in result.outcomes) == sorted(recorded)
    assert result.throughput > 0 and result.latency(0.5) > 0
    # Button taps were acknowledged through the fake Bot API.
    assert result.api_calls["answerCallbackQuery"] >= 1


def test_the_do_nothing_endpoint_is_counted_without_replies(tmp_path: Path) -> None:
    result, _ = saturate("noop", tmp_path)
    assert len(result.outcomes) >= 100
    assert result.statuses == Counter({200: len(result.outcomes)})
    assert result.answered_share == 0
    assert result.throughput > 0


@pytest.mark.timeout(300)
def test_the_reliability_suite_runs_and_prints_its_figures(tmp_path: Path) -> None:
    """`python -m bench.chaos --quick` (here one of its scenarios): exit 0, the table, the JSON."""
    import json
    import subprocess
    import sys

    out = tmp_path / "chaos.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.chaos", "--quick", "--only", "storm", "--json", str(out)],
        capture_output=True, text=True, timeout=280, cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| duplicate storm, sqlite | telegram; extra replies" in done.stdout
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert [(r["scenario"], r["channel"]) for r in results] == [("storm", "telegram"), ("storm", "whatsapp")]
    assert all(r["copies"] == 2 * 5 * r["updates"] for r in results)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_simulated_whatsapp_user_never_hands_the_chat_to_a_person_in_any_language(
    language: str, content: CompiledContent
) -> None:
    """The bot is silent once a person is asked for (by design): a simulated user who did
    would count its later turns as never answered. A random tap may have switched the language."""
    user = WhatsApp().user(1)
    said = {key: content.messages[key].get(language)[0] for key in
            ("talk_to_person", "handoff_offer_yes", "handoff_offer_no", "menu_button")}
    WhatsApp.read_reply(user, {"Body": f"Elige:\n\n1. {said['menu_button']}\n2. {said['talk_to_person']}"})
    assert user.buttons == ["1"]
    WhatsApp.read_reply(user, {"Body": f"?\n\n1. {said['handoff_offer_yes']}\n2. {said['handoff_offer_no']}"})
    assert user.buttons == ["2"]
    # The script's typed "1" (a number picks an option) is not sent at the offer either.
    user.step = WhatsApp.script.index(("text", "1"))
    body, _, _ = WhatsApp().request(user)
    assert parse_qs(body.decode())["Body"] == ["menú"]


def test_a_simulated_telegram_user_never_types_the_number_of_a_person_button() -> None:
    user = Telegram().user(1)
    keyboard = {"inline_keyboard": [[{"text": "Sí", "callback_data": "sys.person.yes"}],
                                    [{"text": "No", "callback_data": "sys.person.no"}]]}
    Telegram.read_reply(user, {"reply_markup": keyboard})
    assert user.buttons == []  # neither answer to the offer is tapped
    user.step = Telegram.script.index(("text", "1"))
    body, _, _ = Telegram().request(user)
    assert json.loads(body)["message"]["text"] == "menú"
    user.step = Telegram.script.index(("text", "2"))
    Telegram.read_reply(user, {"reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "main.menu.jobs"}]]}})
    body, _, _ = Telegram().request(user)
    assert json.loads(body)["message"]["text"] == "2"
