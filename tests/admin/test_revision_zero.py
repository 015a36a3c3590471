"""The content shipped with Puente is revision 0 in History, restorable like any other."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.app import App
from bot.content.source import ContentSource
from bot.settings import PROJECT_ROOT
from db import revisions as store
from tests.admin.test_publishing import FR_SUMMARY, edit, read_privacy

SHIPPED_FR = "Puente ne garde que le nécessaire"


def test_the_shipped_content_is_revision_0_and_can_be_restored(
    app: App, staff_of, loop: asyncio.AbstractEventLoop, clock  # type: ignore[no-untyped-def]
) -> None:
    editor = staff_of("editor")
    edit(editor, FR_SUMMARY, "fr", "Version une.")
    editor.post("/admin/publish", {"message": "first"})
    assert "Version une." in read_privacy(app, loop, clock, "one")
    history = editor.get("/admin/revisions").text
    assert "Restore r0" in history and "content shipped with Puente" in history
    page = editor.get("/admin/revisions/0")
    assert page.status_code == 200 and "Revision r0" in page.text
    # r1 is compared with what it changed: r0.
    assert "Compared to r0" in editor.get("/admin/revisions/1").text
    restored = editor.post("/admin/revisions/0/restore")
    assert "Restored as a new published revision" in restored.text
    assert SHIPPED_FR in read_privacy(app, loop, clock, "two")
    assert app.live.content.revision == "r2"
    with app.db.transaction() as conn:
        assert [r.label for r in store.history(conn)] == ["r2", "r1", "r0"]
        assert store.published(conn, 2).files == store.published(conn, 0).files  # type: ignore[union-attr]
    assert "restored r0" in editor.get("/admin/revisions").text


def test_a_database_published_before_revision_0_existed_restores_the_files(
    app: App, staff_of, loop: asyncio.AbstractEventLoop, clock  # type: ignore[no-untyped-def]
) -> None:
    files = ContentSource.from_directory(PROJECT_ROOT)
    from bot.content import editing

    changed = editing.set_translation(files, "fr", FR_SUMMARY, "Ancienne version.")
    with app.db.transaction() as conn:
        store.add(conn, status=store.PUBLISHED, files=dict(changed.files), digest=changed.digest(), based_on=None,
                  by="old", now=dt.datetime.now(dt.UTC))
    app.live.refresh()
    assert "Ancienne version." in read_privacy(app, loop, clock, "old")
    editor = staff_of("editor")
    assert "Restore r0" in editor.get("/admin/revisions").text
    assert editor.get("/admin/revisions/0").status_code == 200
    editor.post("/admin/revisions/0/restore")
    assert SHIPPED_FR in read_privacy(app, loop, clock, "new")


def test_nothing_published_yet_means_no_history_to_restore(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    history = editor.get("/admin/revisions").text
    assert "Nothing was published from the admin yet" in history and "Restore r0" not in history
