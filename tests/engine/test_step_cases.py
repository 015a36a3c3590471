"""Step types tested from data, as nyaruka/goflow tests its types: each registered step type has a
case file, tests/engine/steps/<type>.yaml, and each case is a state and an input that must give
these replies and this new state, played through the pure Engine (no database, no actions).

A case file:

    flows:                       # small flows added to the shipped content (optional)
      - flow: case_number        #   compiled with the real loader and validator
        triggers: {es: [...]}
        steps: [...]
    cases:
      - name: what the case shows
        before: {language: es, step: case_number.age, slots: {}, misses: 0, pending: null}
        send: {text: "25"}        # or {button: payload}, {start: true, hint: fr},
                                  #    {media: photo}, {repeat: ["ab ", 5000]} (a long paste)
        action: {name: validate_registration_form, candidate: "25", requested_slot: age}
        result: {slots: {age: 25}, responses: [{text: ...}]}   # what the action returned
        replies:                  # every reply, in order: text fragments and exact button labels
          - text: ["Gracias"]
            choices: ["Sí", "No"] # omitted: no buttons. Quote labels: YAML reads No as false
        not: ["a fragment no reply may contain"]
        after: {step: case_number.done, slots: {age: 25}, misses: 0}   # slots: only those named
        events: [[miss, case_number.age]]   # must be among the turn's events

A case must be about a question of its file's type: the step of `before` or the new state's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.action_bridge import ActionBridge
from bot.content.live import engine_factory
from bot.content.loader import load_content
from bot.content.source import ContentSource
from bot.engine import ActionResult, ConversationState, Engine, Turn
from bot.engine.steps import REGISTRY
from bot.i18n import Formatter
from bot.messages import Inbound, Media
from bot.settings import PROJECT_ROOT, Settings

CASE_DIR = Path(__file__).parent / "steps"
# Noon, 1 June 2026 (Mexico City): dates are read relative to it ("90" is 1990).
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-6))).timestamp()
STATE_FIELDS = ("language", "step", "pending", "misses", "return_to", "history")


@dataclass
class CaseFile:
    kind: str
    path: Path
    flows: list[dict[str, Any]]
    cases: list[dict[str, Any]]


def read_case_files() -> list[CaseFile]:
    files = []
    for path in sorted(CASE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        files.append(CaseFile(path.stem, path, data.get("flows") or [], data.get("cases") or []))
    return files


FILES = read_case_files()


def test_every_registered_step_type_has_a_case_file() -> None:
    missing = sorted(set(REGISTRY) - {f.kind for f in FILES})
    assert not missing, f"step types without a case file tests/engine/steps/<type>.yaml: {missing}"


def test_every_case_file_is_a_registered_step_type_with_cases() -> None:
    unknown = sorted(f.path.name for f in FILES if f.kind not in REGISTRY)
    assert not unknown, f"case files naming no registered step type (bot/engine/steps): {unknown}"
    empty = sorted(f.path.name for f in FILES if not f.cases)
    assert not empty, f"case files without cases: {empty}"


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The shipped content with every case file's flows, compiled and validated as staff's are."""
    files = dict(ContentSource.from_directory(PROJECT_ROOT).files)
    for case_file in FILES:
        for flow in case_file.flows:
            text = yaml.safe_dump(flow, allow_unicode=True, sort_keys=False)
            files[f"dialogs/{flow['flow']}.yaml"] = text
    content = load_content(ContentSource(files), ActionBridge.from_package().names())
    return engine_factory(Settings.from_mapping({}), Formatter())(content)


CASES = [
    pytest.param(case_file.kind, case, id=f"{case_file.kind}: {case['name']}")
    for case_file in FILES
    for case in case_file.cases
]


@pytest.mark.parametrize(("kind", "case"), CASES)
def test_step_case(engine: Engine, kind: str, case: dict[str, Any]) -> None:
    before = _state(case.get("before") or {})
    turn = engine.turn(before, _inbound(case["send"]), NOW)
    replies, events = list(turn.replies), list(turn.events)
    expected_action = case.get("action")
    if turn.action is None:
        assert expected_action is None, f"expected the action {expected_action}, none was called"
    else:
        assert expected_action is not None, f"unexpected action {turn.action.name} ({turn.action})"
        for key, value in expected_action.items():
            got = getattr(turn.action, key)
            assert got == value, f"action {key} is {got!r}, not {value!r}"
        assert "result" in case, "a case whose turn calls an action gives the action's `result`"
        result = case["result"]
        turn = engine.resume(turn.state, ActionResult(
            slots=tuple((result.get("slots") or {}).items()),
            responses=tuple(result.get("responses") or ()),
        ), NOW)
        assert turn.action is None, f"a second action {turn.action} after the result"
        replies += turn.replies
        events += turn.events
    _check_type(engine, kind, before, turn)
    _check_replies(case, replies)
    _check_state(case.get("after") or {}, turn)
    for event in case.get("events") or ():
        assert tuple(event) in events, f"event {event} not among {events}"
    assert turn.effects == list(case.get("effects") or ()), f"effects {turn.effects}"


def _state(before: dict[str, Any]) -> ConversationState:
    # Seen a minute ago unless the case says otherwise: not an idle return.
    return ConversationState(**{"last_seen": NOW - 60, **before})


def _inbound(send: dict[str, Any]) -> Inbound:
    text = str(send.get("text", ""))
    if "repeat" in send:
        unit, times = send["repeat"]
        text = str(unit) * int(times)
    return Inbound(
        "case", "case-user", text=text, choice_id=send.get("button"),
        language_hint=send.get("hint"), is_start=bool(send.get("start")),
        media=Media(send["media"]) if "media" in send else None,
    )


def _check_type(engine: Engine, kind: str, before: ConversationState, turn: Turn) -> None:
    asked = [ref for ref in (before.step, turn.state.step) if ref]
    types = [engine.content.step(ref).type for ref in asked]
    found = dict(zip(asked, types, strict=True))
    assert kind in types, f"the case asks no '{kind}' question: {found}"


def _check_replies(case: dict[str, Any], replies: list[Any]) -> None:
    shown = "\n---\n".join(f"{r.text}\n{[c.label for c in r.choices]}" for r in replies)
    expected = case.get("replies") or []
    count = len(replies)
    assert count == len(expected), f"{count} replies, expected {len(expected)}:\n{shown}"
    for number, (reply, wanted) in enumerate(zip(replies, expected, strict=True), start=1):
        fragments = wanted.get("text") or []
        for fragment in [fragments] if isinstance(fragments, str) else fragments:
            assert str(fragment) in reply.text, f"reply {number}: no {fragment!r} in:\n{shown}"
        labels = [c.label for c in reply.choices]
        assert labels == list(wanted.get("choices") or []), f"reply {number}: buttons {labels}"
    for fragment in case.get("not") or ():
        assert all(fragment not in r.text for r in replies), f"{fragment!r} in:\n{shown}"


def _check_state(after: dict[str, Any], turn: Turn) -> None:
    state = turn.state
    for key in STATE_FIELDS:
        if key in after:
            assert getattr(state, key) == after[key], f"state {key} is {getattr(state, key)!r}"
    for name, value in (after.get("slots") or {}).items():
        got = state.slots.get(name)
        assert got == value, f"slot {name} is {got!r}, not {value!r}"
    unknown = set(after) - set(STATE_FIELDS) - {"slots"}
    assert not unknown, f"unknown keys in `after`: {sorted(unknown)}"
