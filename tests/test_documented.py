"""Every setting and every `puente` command is in the README (a deployer reads only that)."""

from __future__ import annotations

from dataclasses import fields

from bot.cli import COMMAND_MODULES
from bot.settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [f.name.upper() for f in fields(Settings) if f.name != "extra" and f"`{f.name.upper()}`" not in README]
    assert missing == []


def test_every_command_is_in_the_commands_table() -> None:
    missing = [name for name in COMMAND_MODULES if f"`puente {name}" not in README]
    assert missing == []
