"""The Alembic migrations build exactly the schema the code describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.database import Database
from db.migrate import alembic_config
from db.revision import HEAD, at_head
from db.schema import metadata
from db.tables import include_object


def test_migrations_match_the_tables(database_url: str) -> None:
    db = Database(database_url)
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, metadata)
    db.dispose()
    assert differences == []


def test_the_head_known_without_alembic_is_alembics(database_url: str) -> None:
    """`puente serve` skips the migrating child on a database at db.revision.HEAD: a migration
    added without moving HEAD would never be applied by a server restarted on an old database."""
    script = ScriptDirectory.from_config(alembic_config(Database(database_url)))
    assert script.get_heads() == [HEAD]
    assert at_head(database_url)  # the fixture's database is migrated
    db = Database(database_url)
    try:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0012_handoffs'")
        assert not at_head(database_url)
    finally:  # the session's PostgreSQL database is shared by the worker's later tests
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{HEAD}'")
        db.dispose()
    assert not at_head("sqlite:////nowhere/puente.db")  # no file: the child makes it and migrates
