"""The job queue's schema on PostgreSQL: procrastinate's own SQL, read from the installed
package when a migration runs (never copied here), and the tables Alembic must leave alone.

procrastinate versions its schema by release: `sql/schema.sql` is the whole schema of the
installed version, and `sql/migrations/<version>_<n>_<what>.sql` lead from one release to the
next. A database created at version A and a package upgraded to B need the migration files
after A up to B, in order: `apply_migrations(connection, A)`."""

from __future__ import annotations

from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

from packaging.version import Version

from db.tables import metadata

TABLES = frozenset({
    "procrastinate_jobs", "procrastinate_events", "procrastinate_periodic_defers", "procrastinate_workers",
})
metadata.info.setdefault("unmanaged", set()).update(TABLES)


def installed_version() -> str:
    return package_metadata.version("procrastinate")


class SchemaVersionMismatch(RuntimeError):
    """The migration was written for another procrastinate than the one installed."""


def _run(connection: Any, sql: str) -> None:
    """Straight to psycopg without parameters: the SQL holds several statements and % signs."""
    raw = connection.connection.dbapi_connection
    with raw.cursor() as cursor:
        cursor.execute(sql)


def apply_schema(connection: Any, expected_version: str) -> None:
    """Create procrastinate's tables, types and functions (the installed release's schema.sql).
    Refuses when the installed release is not the one the calling migration names: its schema
    would not be the one that migration promises."""
    if installed_version() != expected_version:
        raise SchemaVersionMismatch(
            f"this migration creates procrastinate {expected_version}'s schema, but "
            f"{installed_version()} is installed; install procrastinate=={expected_version} "
            "(pyproject.toml), or add a migration that runs job_queue.apply_migrations"
        )
    from procrastinate.schema import SchemaManager  # only when a migration needs it

    _run(connection, SchemaManager.get_schema())


def migration_files(after: str, up_to: str | None = None) -> list[Path]:
    """procrastinate's SQL migrations from release `after` (excluded) to `up_to` (included;
    default: the installed release), in the order they must run."""
    from procrastinate.schema import SchemaManager

    last = Version(up_to or installed_version())
    found = []
    for path in sorted(Path(SchemaManager.get_migrations_path()).glob("*.sql")):
        version = Version(path.name.split("_", 1)[0])
        if Version(after) < version <= last:
            found.append(path)
    return found


def apply_migrations(connection: Any, after: str, up_to: str | None = None) -> None:
    for path in migration_files(after, up_to):
        _run(connection, path.read_text(encoding="utf-8"))


def drop_schema(connection: Any) -> None:
    _run(connection, """
        DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
            procrastinate_workers CASCADE;
        DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
            procrastinate_job_status CASCADE;
        DO $$ DECLARE f record; BEGIN
            FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE p.proname LIKE 'procrastinate\\_%' AND n.nspname = current_schema()
            LOOP EXECUTE 'DROP FUNCTION IF EXISTS ' || f.sig || ' CASCADE'; END LOOP;
        END $$;
    """)
