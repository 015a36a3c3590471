"""Content revisions in the database: the staff's working draft and immutable published packs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from db.admin import content_revisions as revisions

DRAFT = "draft"
PUBLISHED = "published"
# Revision 0 is the content shipped with Puente (the files), stored at the first publication so
# that History can always go back to it. Its message is this word; the admin shows it translated.
SHIPPED = 0
SHIPPED_MESSAGE = "shipped"


@dataclass(frozen=True)
class Revision:
    id: int
    status: str
    number: int | None
    files: dict[str, str]
    digest: str
    based_on: int | None
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None
    message: str

    @property
    def label(self) -> str:
        return f"r{self.number}" if self.number is not None else "draft"


# Listing pages never need the files: they can be large.
_SUMMARY = [c for c in revisions.c if c.name != "files"]


def _revision(row: Any, files: dict[str, str] | None = None) -> Revision:
    data = dict(row._mapping)
    data["files"] = files if files is not None else dict(data.get("files") or {})
    return Revision(**data)


# The newest published revision's number; a turn reads it as a column of its one read
# (db/turns.py), everything else through newest_number.
NEWEST = select(func.max(revisions.c.number))


def newest_number(conn: Connection) -> int | None:
    """The tiny indexed query that tells whether new content was published."""
    return conn.execute(NEWEST).scalar_one_or_none()


def published(conn: Connection, number: int) -> Revision | None:
    row = conn.execute(select(revisions).where(revisions.c.number == number)).first()
    return _revision(row) if row else None


def newest_published(conn: Connection) -> Revision | None:
    newest = newest_number(conn)
    return published(conn, newest) if newest is not None else None


# Any number: the key of PostgreSQL's transaction lock that serializes edits of the one draft.
DRAFT_LOCK = 7_460_001


def draft(conn: Connection, *, lock: bool = False) -> Revision | None:
    """The draft; with `lock`, edits by other staff wait until this transaction ends (even
    while there is no draft row yet, so two first edits cannot start two drafts)."""
    if lock and conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(DRAFT_LOCK)))
    query = select(revisions).where(revisions.c.status == DRAFT).order_by(revisions.c.id.desc()).limit(1)
    row = conn.execute(query).first()
    return _revision(row) if row else None


def working_stamp(conn: Connection) -> tuple[object, ...]:
    """What names the pack the editor shows, without reading its files: the draft's row and last
    change, else the newest published number, else () for the files on disk. Cheap enough to ask
    on every page, so parsed packs can be kept per stamp."""
    row = conn.execute(
        select(revisions.c.id, revisions.c.digest, revisions.c.updated_at)
        .where(revisions.c.status == DRAFT).order_by(revisions.c.id.desc()).limit(1)
    ).first()
    if row is not None:
        return (DRAFT, row.id, row.digest, str(row.updated_at))
    newest = newest_number(conn)
    return (PUBLISHED, newest) if newest is not None else ()


def add(
    conn: Connection, *, status: str, files: dict[str, str], digest: str, based_on: int | None,
    by: str, now: dt.datetime, message: str = "", number: int | None = None,
) -> Revision:
    """A draft, or a published revision numbered after the newest (or `number`: revision 0)."""
    if status == PUBLISHED and number is None:
        newest = newest_number(conn)
        number = newest + 1 if newest is not None else 1
    revision_id = conn.execute(
        insert(revisions).values(
            status=status, number=number, files=files, digest=digest, based_on=based_on,
            created_by=by[:128], created_at=now, updated_at=now,
            published_at=now if status == PUBLISHED else None, message=message[:300],
        ).returning(revisions.c.id)
    ).scalar_one()
    row = conn.execute(select(revisions).where(revisions.c.id == revision_id)).first()
    return _revision(row)


def update_draft(conn: Connection, revision_id: int, files: dict[str, str], digest: str, now: dt.datetime) -> None:
    conn.execute(
        update(revisions)
        .where(revisions.c.id == revision_id, revisions.c.status == DRAFT)
        .values(files=files, digest=digest, updated_at=now)
    )


def drop_drafts(conn: Connection) -> None:
    conn.execute(delete(revisions).where(revisions.c.status == DRAFT))


def history(conn: Connection, limit: int = 100) -> list[Revision]:
    rows = conn.execute(
        select(*_SUMMARY).where(revisions.c.status == PUBLISHED).order_by(revisions.c.number.desc()).limit(limit)
    )
    return [_revision(row, {}) for row in rows]
