"""A migrated, empty database per test (SQLite and PostgreSQL), as a Database handle."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from db.database import Database


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    handle = Database(database_url)
    yield handle
    handle.dispose()
