"""Parsed content packs for the admin's pages, kept per revision instead of parsed per request.

Parsing a pack (the YAML flows and five .po files) takes 0.1-0.5 s; a content page used to do it
on every request. Here a pack is parsed once per stamp (db.revisions.working_stamp): the draft
by its row and last change (a save changes it), a published revision by its number (never
changes), the shipped files by their modification times. The validator's answer and the
differences between two packs are kept beside it. What a parse makes (the Overview and the
text names, never changed once made) is also kept for the process by the pack's digest: the
draft just published and the new live revision, or the shipped files every app of one process
starts from (the test suite's), are parsed once. A thin layer over ContentRevisions and
bot.content.overview: it parses nothing itself."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import Connection

from bot.content.changes import TextChange, changes_between, flow_diffs
from bot.content.document import ContentError
from bot.content.loader import check_content
from bot.content.overview import Overview, overview
from bot.content.revisions import ContentRevisions, Pack
from bot.content.source import ContentSource
from bot.web.admin.text_names import TextNames
from db import revisions as store

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
# A draft being edited, the live revision, and two the history pages compare (about 4 MB each).
KEPT = 4
# Parses kept for the whole process by digest, beyond those a ContentViews keeps.
SHARED = 2


class Kept(Generic[K, V]):
    """The `size` values last asked for, by key; a value is made outside the lock (two threads
    asking for the same new key may both make it: the same value)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        made = make()
        with self._lock:
            self._values[key] = made
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return made


_views: Kept[str, tuple[Overview, TextNames]] = Kept(SHARED)


def _view_of(pack: Pack) -> tuple[Overview, TextNames]:
    def parse() -> tuple[Overview, TextNames]:
        view = overview(pack.source)
        return view, TextNames.of(view.docs)

    return _views.get(pack.source.digest(), parse)


@dataclass
class Parsed:
    """A pack with what the content pages read of it."""

    pack: Pack
    view: Overview
    names: TextNames
    _errors: list[ContentError] | None = field(default=None, repr=False)


class ContentViews:
    def __init__(self, revisions: ContentRevisions, kept: int = KEPT) -> None:
        self.revisions = revisions
        self._parsed: Kept[tuple[object, ...], Parsed] = Kept(kept)
        self._changes: Kept[tuple[str, str], tuple[list[TextChange], dict[str, str]]] = Kept(kept)

    def _files_stamp(self) -> tuple[object, ...]:
        root = self.revisions.content_dir
        paths = sorted([*root.glob("dialogs/**/*.yaml"), *root.glob("locales/*/LC_MESSAGES/messages.po")])
        return ("files", tuple((p.as_posix(), p.stat().st_mtime_ns) for p in paths))

    @staticmethod
    def _parse(pack: Pack) -> Parsed:
        return Parsed(pack, *_view_of(pack))

    def working(self, conn: Connection) -> Parsed:
        """The pack the editor shows (the draft, else the live content), parsed once per change."""
        stamp = store.working_stamp(conn) or self._files_stamp()
        return self._parsed.get(stamp, lambda: self._parse(self.revisions.working(conn)))

    def of(self, pack: Pack) -> Parsed:
        """A pack already read (the live one beside the draft, a revision of the history)."""
        if pack.revision is None:
            key: tuple[object, ...] = self._files_stamp()
        elif pack.is_draft:
            key = (store.DRAFT, pack.revision.id, pack.revision.digest, str(pack.revision.updated_at))
        else:
            key = (store.PUBLISHED, pack.revision.number)
        return self._parsed.get(key, lambda: self._parse(pack))

    def parsed_source(self, source: ContentSource) -> Parsed:
        """A pack known only by its files (a revision's predecessor): kept by digest."""
        return self._parsed.get(("digest", source.digest()), lambda: self._parse(Pack(source, None)))

    def errors(self, parsed: Parsed) -> list[ContentError]:
        """What `puente dialogs check` would say of the pack; asked once per pack."""
        if parsed._errors is None:
            parsed._errors = check_content(parsed.pack.source, self.revisions.actions)
        return parsed._errors

    def changes(self, before: Parsed, after: Parsed) -> tuple[list[TextChange], dict[str, str]]:
        """Texts changed per language, and the YAML diffs, from `before` to `after`."""
        key = (before.pack.source.digest(), after.pack.source.digest())
        return self._changes.get(key, lambda: (
            changes_between(before.view, after.view), flow_diffs(before.pack.source, after.pack.source)))
