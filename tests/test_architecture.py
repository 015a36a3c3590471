"""Boundaries of ../shared/design/ARCHITECTURE.md, checked on every run."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
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


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on a tree, in its own process (it reconfigures logging)."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"],
        cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True, timeout=120,
    )


def test_import_contracts_hold() -> None:
    """The layers and forbidden imports of pyproject.toml's [tool.importlinter], and no cycles
    between the modules of a package: what ARCHITECTURE.md draws, checked by import-linter."""
    found = lint_imports(PROJECT_ROOT)
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_contracts_catch_a_channel_that_stores(tmp_path: Path) -> None:
    """The contracts bite: a channel module importing storage breaks one."""
    tree = tmp_path / "tree"
    for package in PACKAGES:
        shutil.copytree(PROJECT_ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "bot" / "channels" / "text.py").write_text(
        (PROJECT_ROOT / "bot" / "channels" / "text.py").read_text(encoding="utf-8") + "\nimport db.contacts\n",
        encoding="utf-8",
    )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tree / "pyproject.toml")
    found = lint_imports(tree)
    assert found.returncode != 0
    assert "Channels translate" in found.stdout and "BROKEN" in found.stdout


# A person's rows: contact, identities, state, processed message ids, outbound messages.
PERSONAL_STORES = {"db.contacts", "db.turns", "db.outbound"}


def test_only_the_conversation_uses_a_persons_storage() -> None:
    users = {
        str(path.relative_to(PROJECT_ROOT))
        for path in python_files()
        if path.relative_to(PROJECT_ROOT).parts[:2] != ("bot", "conversation")
        and path.relative_to(PROJECT_ROOT).parts[0] != "db"
        and any(within(n, PERSONAL_STORES) for n in imported_names(path))
    }
    assert users == set()


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


def test_storage_is_sqlalchemy_core_not_its_orm() -> None:
    """Tables and statements are SQLAlchemy Core; importing sqlalchemy.orm (for one `aliased`)
    added 6 MB to every worker, past the 150 MB each may use (docs/benchmarks.md): use
    `Table.alias()` and Core constructs."""
    found = [str(p.relative_to(PROJECT_ROOT)) for p in python_files()
             if any(within(name, {"sqlalchemy.orm"}) for name in imported_names(p))]
    assert found == []
