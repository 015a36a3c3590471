"""procrastinate's schema: created on PostgreSQL by the migration from the installed package,
absent on SQLite; the pinned version is the one the migrations know."""

from __future__ import annotations

import importlib.util

import pytest
from sqlalchemy import inspect

from db import job_queue
from db.database import Database
from db.migrate import HERE


def migration(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, HERE / "migrations" / "versions" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_installed_procrastinate_is_the_one_the_migrations_created() -> None:
    """Moving the pin needs a migration that runs job_queue.apply_migrations(connection,
    "<the old version>") and names the new one."""
    assert job_queue.installed_version() == migration("0009b_job_queue").SCHEMA_VERSION


def test_an_upgrade_runs_procrastinates_own_migrations_in_order() -> None:
    files = job_queue.migration_files("3.0.0", "3.4.0")
    names = [f.name for f in files]
    assert names == sorted(names) and names
    assert all(n.startswith(("03.01.", "03.02.", "03.03.", "03.04.")) for n in names)  # after 3.0.0
    assert job_queue.migration_files(job_queue.installed_version()) == []


def test_the_schema_is_refused_for_another_version() -> None:
    with pytest.raises(job_queue.SchemaVersionMismatch, match="procrastinate=="):
        job_queue.apply_schema(None, "0.1.0")


def test_the_queue_tables_exist_on_postgresql_only(database_url: str) -> None:
    db = Database(database_url)
    tables = set(inspect(db.engine).get_table_names())
    db.dispose()
    if database_url.startswith("postgresql"):
        assert job_queue.TABLES <= tables
    else:
        assert not job_queue.TABLES & tables
