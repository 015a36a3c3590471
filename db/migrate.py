"""Running Alembic migrations from code: `puente db upgrade`, first run, and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.database import Database

HERE = Path(__file__).resolve().parent


def alembic_config(db: Database) -> Config:
    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE / "migrations"))
    config.attributes["url"] = db.url
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    config = alembic_config(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def is_current(db: Database) -> bool:
    script = ScriptDirectory.from_config(alembic_config(db))
    with db.engine.connect() as connection:
        heads = set(MigrationContext.configure(connection).get_current_heads())
    return heads == set(script.get_heads())
