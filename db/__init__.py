"""Storage: SQLAlchemy tables, the Database handle, repositories, and Alembic migrations."""
