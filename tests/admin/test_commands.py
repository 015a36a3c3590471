"""`puente staff add`, the first admin of `puente start`, and `puente content export|import`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from bot.commands.staff import ensure_first_admin
from bot.content.source import ContentSource
from bot.settings import PROJECT_ROOT
from db import audit
from db import revisions as store
from db import staff as staff_store
from db.database import Database
from db.migrate import upgrade
from tests.support.commands import puente


def copy_pack(target: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "dialogs", target / "dialogs")
    shutil.copytree(PROJECT_ROOT / "locales", target / "locales")
    return target


def test_staff_add_prints_a_generated_password_once(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    result = puente("staff", "add", "Ana.Perez", "--role", "editor", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    password = result.stdout.split("Password (shown only now): ")[1].strip()
    db = Database(env["DATABASE_URL"])
    with db.transaction() as conn:
        account = staff_store.by_login(conn, "ana.perez")
        assert account is not None and account.role == "editor"
        assert PasswordHasher().verify(account.password_hash, password)
        assert [e["action"] for e in audit.entries(conn)] == ["staff.add"]
    db.dispose()
    again = puente("staff", "add", "ana.perez", "--role", "viewer", cwd=tmp_path, env=env)
    assert again.returncode == 1 and "already an account" in again.stderr
    bad = puente("staff", "add", "ana", "--role", "boss", cwd=tmp_path, env=env)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_start_creates_the_first_admin_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(f"sqlite:///{tmp_path}/p.db")
    upgrade(db)
    ensure_first_admin(db)
    printed = capsys.readouterr().out
    assert "login 'admin', password " in printed
    password = printed.split("password ")[1].split()[0]
    with db.transaction() as conn:
        account = staff_store.by_login(conn, "admin")
    assert account is not None and account.role == "admin"
    assert PasswordHasher().verify(account.password_hash, password)
    ensure_first_admin(db)
    assert capsys.readouterr().out == ""
    db.dispose()


def test_content_round_trips_through_files_and_revisions(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    edited = copy_pack(tmp_path / "edited")
    po = edited / "locales/fr/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        "Je n'ai pas compris votre réponse.", "Je n'ai pas bien compris."), encoding="utf-8")
    published = puente("content", "import", "--from", str(edited), "--publish", cwd=tmp_path, env=env)
    assert published.returncode == 0, published.stderr
    assert "Published r1" in published.stdout
    out = copy_pack(tmp_path / "out")
    (out / "dialogs" / "stale.yaml").write_text("flow: stale\n", encoding="utf-8")
    exported = puente("content", "export", "--to", str(out), cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    assert "Exported r1." in exported.stdout and "removed" in exported.stdout
    assert ContentSource.from_directory(out).files == ContentSource.from_directory(edited).files
    assert (out / "locales/messages.pot").read_text(encoding="utf-8") == (
        PROJECT_ROOT / "locales/messages.pot").read_text(encoding="utf-8")
    db = Database(env["DATABASE_URL"])
    with db.transaction() as conn:
        assert [e["action"] for e in audit.entries(conn)] == ["content.export", "content.import"]
    db.dispose()


def test_import_refuses_to_publish_broken_files_and_keeps_them_as_a_draft(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/p.db"}
    broken = copy_pack(tmp_path / "broken")
    menu = broken / "dialogs" / "main.yaml"
    menu.write_text(menu.read_text(encoding="utf-8").replace("go: privacy", "go: privacyy"), encoding="utf-8")
    refused = puente("content", "import", "--from", str(broken), "--publish", cwd=tmp_path, env=env)
    assert refused.returncode == 1
    assert "dialogs/main.yaml:" in refused.stderr and "privacyy" in refused.stderr
    draft = puente("content", "import", "--from", str(broken), cwd=tmp_path, env=env)
    assert draft.returncode == 0 and "Stored as the draft" in draft.stdout and "1 problem(s)" in draft.stdout
    db = Database(env["DATABASE_URL"])
    with db.transaction() as conn:
        assert store.newest_number(conn) is None
        assert store.draft(conn) is not None
    db.dispose()


def test_the_admin_commands_and_url_are_documented() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("puente staff add", "puente content export", "puente content import", "/admin"):
        assert command in readme, command
    guide = (PROJECT_ROOT / "docs" / "staff-guide.md").read_text(encoding="utf-8")
    assert "## The web admin" in guide
