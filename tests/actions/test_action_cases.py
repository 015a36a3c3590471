"""Every registered action has its case file (tests/actions/<action>.yaml), and every case passes
through the real ActionBridge with real services, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.action_bridge import ActionBridge
from bot.content.live import LiveContent, engine_factory
from bot.engine import CompiledContent
from bot.services import build_services
from bot.settings import Settings
from tests.actions.cases import case_files, read_case_file, run_case


def test_every_registered_action_has_a_case_file_and_every_file_an_action() -> None:
    registered = ActionBridge.from_package().names()
    files = {path.stem for path in case_files()}
    assert sorted(registered - files) == [], "actions without tests/actions/<action>.yaml"
    assert sorted(files - registered) == [], "case files naming no registered action"


@pytest.mark.parametrize("path", case_files(), ids=lambda path: path.stem)
def test_case_file_is_well_formed(path: Path) -> None:
    read_case_file(path)


@pytest.mark.parametrize("path", case_files(), ids=lambda path: path.stem)
def test_action_cases(
    path: Path, settings: Settings, content: CompiledContent, loop: asyncio.AbstractEventLoop
) -> None:
    cases = read_case_file(path)
    services = build_services(settings)
    services.live = LiveContent(content, engine_factory(settings, services.formatter))
    bridge = ActionBridge.from_package("actions", services)
    failures = []
    try:
        for case in cases.cases:
            try:
                run_case(case, cases.action, bridge, services.db, content, loop)
            except AssertionError as error:
                failures.append(f"{path.name}: {case['name']}: {error}")
    finally:
        services.db.dispose()
    assert not failures, "\n".join(failures)
