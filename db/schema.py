"""Every table of the application, for Alembic: importing a module registers its tables."""

from db.tables import metadata

__all__ = ["metadata"]
