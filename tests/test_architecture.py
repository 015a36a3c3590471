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


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, in full (relative imports resolved): `from bot import
    conversation` names bot.conversation."""
    package = path.relative_to(PROJECT_ROOT).with_suffix("").parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def within(name: str, packages: set[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_channels_neither_store_nor_run_turns() -> None:
    """Channels translate: what a message means for a person is the conversation's business."""
    forbidden = {"db", "sqlalchemy", "bot.conversation"}
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): sorted(n for n in imported_names(path) if within(n, forbidden))
        for path in (PROJECT_ROOT / "bot" / "channels").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


# A person's rows: contact, identities, state, processed message ids, outbound messages.
PERSONAL_STORES = {"db.contacts", "db.turns", "db.outbound"}
# Marks a contact opted out after an alert the (fake or real) Notifier reports refused;
# tests/vacancies/test_alerts.py expects it of the alerts themselves.
KNOWN_WRITERS = {"bot/vacancies/alerts.py"}


def test_only_the_conversation_uses_a_persons_storage() -> None:
    users = {
        str(path.relative_to(PROJECT_ROOT))
        for path in python_files()
        if path.relative_to(PROJECT_ROOT).parts[:2] != ("bot", "conversation")
        and path.relative_to(PROJECT_ROOT).parts[0] != "db"
        and any(within(n, PERSONAL_STORES) for n in imported_names(path))
    }
    assert users == KNOWN_WRITERS


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
