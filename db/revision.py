"""The newest migration, known without importing Alembic. `puente serve` asks the database which
revision it is at: at this one, there is nothing to apply and no migrating child process is
started (Alembic, Mako and Pygments: about 0.4 s of CPU at every start); otherwise the child
migrates as before. tests/test_migrations.py keeps HEAD equal to Alembic's head."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy
from sqlalchemy.exc import SQLAlchemyError

from db.database import connect_args, normalize_url

HEAD = "0014_outbound_claimant"


def at_head(database_url: str) -> bool:
    """Whether the database exists and is at HEAD; False when it cannot tell (no file yet, no
    table, no answer): the migrating child then says why, or migrates."""
    url = normalize_url(database_url)
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path == ":memory:" or not Path(path).expanduser().is_file():
            return False
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool, connect_args=connect_args(url))
    try:
        with engine.connect() as connection:
            versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()
    return list(versions) == [HEAD]
