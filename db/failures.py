"""A database failure told in one line (what a `puente` command prints instead of a traceback)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from db.database import DatabaseBusy, DatabaseUnavailable

FAILURES = (DatabaseUnavailable, OperationalError)


def database_failure(error: BaseException) -> str:
    """The line for `error`, one of FAILURES."""
    if isinstance(error, DatabaseBusy):
        return (f"error: the database is busy: another process (the server, an import) held SQLite's write "
                f"lock for over {error.waited_ms / 1000:g} s; nothing was changed, try again when it has finished")
    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
    return f"error: the database is not answering ({reason}); check DATABASE_URL and that its server runs"
