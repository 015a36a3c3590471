"""Boundaries of ../shared/design/ARCHITECTURE.md, checked on every run."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import PROJECT_ROOT

PACKAGES = ("bot", "actions", "db")


def python_files() -> list[Path]:
    return [p for package in PACKAGES for p in (PROJECT_ROOT / package).rglob("*.py")]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_channel_sdks_only_in_bot_channels() -> None:
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in python_files()
        if imported_modules(path) & {"telegram", "twilio"}
        and path.relative_to(PROJECT_ROOT).parts[:2] != ("bot", "channels")
    ]
    assert offenders == []


def test_the_engine_does_no_io() -> None:
    forbidden = {"sqlalchemy", "db", "httpx", "telegram", "twilio", "socket", "os", "rasa_sdk", "asyncio"}
    for path in (PROJECT_ROOT / "bot" / "engine").rglob("*.py"):
        assert not imported_modules(path) & forbidden, path


def test_only_the_bridge_touches_the_action_executor() -> None:
    users = [
        str(p.relative_to(PROJECT_ROOT)) for p in python_files() if "ActionExecutor" in p.read_text(encoding="utf-8")
    ]
    assert users == ["bot/action_bridge.py"]


def test_only_settings_reads_the_environment() -> None:
    readers = [
        str(p.relative_to(PROJECT_ROOT))
        for p in python_files()
        if "os.environ" in p.read_text(encoding="utf-8") or "getenv(" in p.read_text(encoding="utf-8")
    ]
    assert readers == ["bot/settings.py"]
