"""The Alembic migrations build exactly the schema the code describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.database import Database
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
