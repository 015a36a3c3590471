"""The `puente` command line as a user runs it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.settings import PROJECT_ROOT
from db import database
from tests.support.commands import puente


def puente_process(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real `python -m bot.cli`, for what is about the process itself (tests.support.commands
    runs the rest in this one)."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})},
        input=stdin, capture_output=True, text=True, timeout=120,
    )


def test_dialogs_check_passes_on_the_shipped_content(tmp_path: Path) -> None:
    result = puente_process("dialogs", "check", cwd=tmp_path)  # the entry point, as installed
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no errors" in result.stdout


def test_dialogs_check_fails_with_file_and_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PROJECT_ROOT / "dialogs", pack / "dialogs")
    shutil.copytree(PROJECT_ROOT / "locales", pack / "locales")
    menu = pack / "dialogs" / "main.yaml"
    menu.write_text(menu.read_text(encoding="utf-8").replace("go: privacy", "go: privacyy"), encoding="utf-8")
    result = puente("dialogs", "check", cwd=tmp_path, env={"CONTENT_DIR": str(pack)})
    assert result.returncode == 1
    assert "dialogs/main.yaml:" in result.stdout and "'privacyy', which does not exist" in result.stdout


def test_broken_content_stops_the_bot_with_the_place_not_a_traceback(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PROJECT_ROOT / "dialogs", pack / "dialogs")
    shutil.copytree(PROJECT_ROOT / "locales", pack / "locales")
    (pack / "dialogs" / "main.yaml").write_text("flow: main\nsteps:\n  - id: menu\n    say: [oops\n", encoding="utf-8")
    result = puente("chat", cwd=tmp_path, env={"CONTENT_DIR": str(pack), "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"})
    assert result.returncode == 1
    assert "dialogs/main.yaml:" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_replays_a_conversation_from_a_pipe(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/puente.db"}
    result = puente("chat", "--user", "ana", cwd=tmp_path, env=env, stdin="3\naide\n")
    assert result.returncode == 0, result.stderr
    assert "Dans quelle langue voulez-vous que je vous écrive ?" in result.stdout
    assert "> aide" in result.stdout
    assert "« retour » pour la question précédente" in result.stdout
    # The database file was created and migrated on first run, and the conversation kept.
    again = puente("chat", "--user", "ana", cwd=tmp_path, env=env, stdin="menu\n")
    assert "Comment puis-je vous aider ?" in again.stdout


def test_chat_with_a_language_skips_the_question(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/puente.db"}
    result = puente("chat", "--lang", "pt", cwd=tmp_path, env=env, stdin="idioma\n")
    assert "Eu sou o Puente" in result.stdout.split("> idioma")[0]
    assert "Em que idioma você quer que eu escreva?" in result.stdout


def test_i18n_stats_lists_every_language(tmp_path: Path) -> None:
    result = puente("i18n", "stats", cwd=tmp_path)
    assert result.returncode == 0
    for lang in ("es", "ht", "fr", "en", "pt"):
        assert f"\n{lang} " in "\n" + result.stdout


def test_a_database_that_does_not_answer_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    nowhere = "postgresql://postgres@127.0.0.1:9/puente"  # port 9: nothing listens
    result = puente("staff", "add", "--role", "editor", "pepe.lopez", cwd=tmp_path, env={"DATABASE_URL": nowhere})
    assert result.returncode == 1
    assert result.stderr.startswith("error: the database is not answering (connection failed:")
    assert "Traceback" not in result.stderr and "Connection refused" in result.stderr


def test_a_write_lock_another_process_keeps_is_one_line_and_nothing_is_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path}/p.db"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["db", "upgrade"]) == 0
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)  # connections wait 0.3 s, not 5
    holder = sqlite3.connect(tmp_path / "p.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the server or an import, writing
    try:
        assert cli.main(["staff", "add", "--role", "editor", "pepe.lopez"]) == 1
    finally:
        holder.execute("ROLLBACK")
    said = capsys.readouterr()
    assert said.err.startswith("error: the database is busy: another process (the server, an import) held "
                               "SQLite's write lock for over 0.3 s; nothing was changed")
    assert "password" not in said.out.lower()
    assert holder.execute("SELECT count(*) FROM staff_users").fetchone() == (0,)
    holder.close()
