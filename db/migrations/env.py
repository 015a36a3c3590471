"""Alembic environment: the URL comes from the caller (puente db upgrade) or `-x url=...`."""

from __future__ import annotations

from alembic import context

from db.database import normalize_url
from db.schema import metadata
from db.tables import include_object

config = context.config
url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
connection = config.attributes.get("connection")


def run() -> None:
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=metadata, render_as_batch=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    from sqlalchemy import create_engine

    engine = create_engine(normalize_url(url or "sqlite:///puente.db"))
    with engine.connect() as conn:
        context.configure(
            connection=conn, target_metadata=metadata, render_as_batch=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
