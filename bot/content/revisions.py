"""Content revisions: the staff's draft, publishing (validated), restoring, and the hook that
lets every running worker switch to a newly published revision without a restart."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from bot.content.loader import ContentInvalid, check_content, load_content
from bot.content.source import ContentSource
from bot.engine import CompiledContent
from db import audit
from db import revisions as store
from db.database import Database
from db.revisions import DRAFT, PUBLISHED, SHIPPED, SHIPPED_MESSAGE, Revision

log = logging.getLogger("puente.content")


class NothingToPublish(ValueError):
    """No draft, or a draft identical to the live content."""


@dataclass(frozen=True)
class Pack:
    """A content pack with where it came from: a stored revision, or the files on disk."""

    source: ContentSource
    revision: Revision | None

    @property
    def label(self) -> str:
        return self.revision.label if self.revision else "files"

    @property
    def is_draft(self) -> bool:
        return self.revision is not None and self.revision.status == DRAFT


class ContentRevisions:
    def __init__(
        self, db: Database, content_dir: Path, actions: set[str],
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.db = db
        self.content_dir = content_dir
        self.actions = actions
        self.clock = clock
        self._unloadable: set[int] = set()

    # -- reading -------------------------------------------------------------------------------

    def files(self) -> ContentSource:
        return ContentSource.from_directory(self.content_dir)

    def live(self, conn: Connection) -> Pack:
        newest = store.newest_published(conn)
        return Pack(ContentSource(newest.files), newest) if newest else Pack(self.files(), None)

    def working(self, conn: Connection, *, lock: bool = False) -> Pack:
        """What the editor shows: the draft when there is one, else the live content.
        Edits read it with `lock`, so concurrent edits apply one after the other."""
        draft = store.draft(conn, lock=lock)
        return Pack(ContentSource(draft.files), draft) if draft else self.live(conn)

    def compile(self, pack: Pack) -> CompiledContent:
        label = f"draft-{pack.source.digest()}" if pack.is_draft else pack.label
        return load_content(pack.source, self.actions, revision=label if pack.revision else None)

    # -- changing ------------------------------------------------------------------------------

    def save_draft(self, conn: Connection, source: ContentSource, actor: str, what: str, detail: dict) -> None:
        """Store an edited pack as the draft (started from the live content when there was none)."""
        now = self.clock()
        draft = store.draft(conn, lock=True)
        if draft is None:
            live = self.live(conn)
            store.add(conn, status=DRAFT, files=dict(source.files), digest=source.digest(),
                      based_on=live.revision.number if live.revision else None, by=actor, now=now)
        else:
            store.update_draft(conn, draft.id, dict(source.files), source.digest(), now)
        audit.record(conn, actor, what, detail, at=now)

    def discard_draft(self, conn: Connection, actor: str) -> None:
        store.drop_drafts(conn)
        audit.record(conn, actor, "content.discard_draft", {}, at=self.clock())

    def publish(
        self, conn: Connection, source: ContentSource, actor: str, message: str = "",
        based_on: int | None = None, action: str = "content.publish",
    ) -> Revision:
        """Validate like `puente dialogs check`, then store an immutable revision; ContentInvalid otherwise."""
        errors = check_content(source, self.actions)
        if errors:
            raise ContentInvalid(errors)
        now = self.clock()
        if store.newest_number(conn) is None:
            self._keep_shipped(conn, now)
        revision = store.add(conn, status=PUBLISHED, files=dict(source.files), digest=source.digest(),
                             based_on=based_on, by=actor, now=now, message=message)
        audit.record(conn, actor, action, {"revision": revision.label, "based_on": based_on,
                                           "digest": source.digest()}, at=now)
        return revision

    def publish_draft(self, conn: Connection, actor: str, message: str = "") -> Revision:
        draft = store.draft(conn, lock=True)
        if draft is None:
            raise NothingToPublish("there is no draft: edit a text first")
        live = self.live(conn)
        if draft.digest == live.source.digest():
            raise NothingToPublish("the draft is the same as the live content")
        revision = self.publish(conn, ContentSource(draft.files), actor, message, based_on=draft.based_on)
        store.drop_drafts(conn)
        return revision

    def _keep_shipped(self, conn: Connection, now: dt.datetime) -> None:
        """Before the first publication: the shipped files become revision 0."""
        files = self.files()
        store.add(conn, status=PUBLISHED, files=dict(files.files), digest=files.digest(), based_on=None,
                  by="puente", now=now, message=SHIPPED_MESSAGE, number=SHIPPED)

    def shipped(self, conn: Connection) -> Revision | None:
        """Revision 0; for a database published before it was kept, the files standing in for it
        (None when nothing was ever published: the files are simply live)."""
        kept = store.published(conn, SHIPPED)
        if kept is not None or store.newest_number(conn) is None:
            return kept
        files = self.files()
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
        return Revision(id=0, status=PUBLISHED, number=SHIPPED, files=dict(files.files), digest=files.digest(),
                        based_on=None, created_by="puente", created_at=moment, updated_at=moment,
                        published_at=None, message=SHIPPED_MESSAGE)

    def restore(self, conn: Connection, number: int, actor: str) -> Revision:
        """An earlier revision becomes live again, as a new published revision (history is kept)."""
        old = self.shipped(conn) if number == SHIPPED else store.published(conn, number)
        if old is None:
            raise NothingToPublish(f"there is no published revision r{number}")
        return self.publish(conn, ContentSource(old.files), actor, f"restored r{number}",
                            based_on=number, action="content.restore")

    # -- workers -------------------------------------------------------------------------------

    def newest_compiled(self) -> CompiledContent | None:
        """At start: the newest published revision, or None to run the files."""
        return self.newer("")

    def newer(self, current: str) -> CompiledContent | None:
        """LiveContent's hook. One indexed query; it joins the turn's transaction when in one."""
        with self.db.transaction() as conn:
            newest = store.newest_number(conn)
            if newest is None or f"r{newest}" == current or newest in self._unloadable:
                return None
            revision = store.published(conn, newest)
        assert revision is not None
        try:
            return load_content(ContentSource(revision.files), self.actions, revision=revision.label)
        except ContentInvalid as invalid:
            # Published by a worker whose code differs (an action this one lacks): keep running.
            self._unloadable.add(newest)
            log.error("content revision r%s cannot run here:\n%s", newest, invalid.report())
            return None
