"""`puente content export|import`: round-trip content revisions with the dialogs/ and locales/ files."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("content", help="content revisions of the web admin <-> dialogs/ and locales/ files")
    inner = parser.add_subparsers(dest="content_command", required=True)
    export = inner.add_parser("export", help="write the live revision to dialogs/ and locales/ (for git and translators)")
    export.add_argument("--to", type=Path, help="folder to write into (default: CONTENT_DIR)")
    export.set_defaults(run=run_export)
    imp = inner.add_parser("import", help="load dialogs/ and locales/ as a draft (or publish with --publish)")
    imp.add_argument("--from", dest="source", type=Path, help="folder to read (default: CONTENT_DIR)")
    imp.add_argument("--publish", action="store_true", help="validate and publish at once (live on the next message)")
    imp.add_argument("--message", default="imported from files", help="what changed, for the history")
    imp.set_defaults(run=run_import)


def _revisions(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.action_bridge import ActionBridge
    from bot.content.revisions import ContentRevisions
    from db.database import Database
    from db.migrate import upgrade

    db = Database(settings.database_url)
    upgrade(db)
    return db, ContentRevisions(db, settings.content_dir, ActionBridge.from_package().names())


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands.staff import actor
    from bot.content.extract import render_po, template
    from db import audit

    root = args.to or settings.content_dir
    db, revisions = _revisions(settings)
    try:
        with db.transaction() as conn:
            live = revisions.live(conn)
            written = live.source.write_to(root)
            pot = root / "locales" / "messages.pot"
            pot.write_text(render_po(template(live.source)), encoding="utf-8")
            # The folder mirrors the revision: a flow file the revision does not have goes.
            removed = [p for p in sorted((root / "dialogs").glob("**/*.yaml"))
                       if p.relative_to(root).as_posix() not in live.source.files]
            for path in removed:
                path.unlink()
            audit.record(conn, actor(), "content.export", {"revision": live.label, "files": len(written)},
                         at=dt.datetime.now(dt.UTC))
    finally:
        db.dispose()
    for path in written + [pot]:
        print(f"wrote {path}")
    for path in removed:
        print(f"removed {path} (not in {live.label})")
    print(f"Exported {live.label}.")
    return 0


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.commands.staff import actor
    from bot.content.loader import ContentInvalid, check_content
    from bot.content.source import ContentSource
    from db import revisions as store

    root = args.source or settings.content_dir
    source = ContentSource.from_directory(root)
    if not source.dialogs():
        print(f"No dialogs/*.yaml under {root}.", file=sys.stderr)
        return 1
    db, revisions = _revisions(settings)
    try:
        with db.transaction() as conn:
            if args.publish:
                revision = revisions.publish(conn, source, actor(), args.message, action="content.import")
                print(f"Published {revision.label}: users see it from their next message.")
            else:
                errors = check_content(source, revisions.actions)
                store.drop_drafts(conn)
                revisions.save_draft(conn, source, actor(), "content.import", {"files": len(source.files)})
                print("Stored as the draft: review and publish it in the web admin (/admin/publish).")
                if errors:
                    print(f"The draft has {len(errors)} problem(s) to fix before it can be published:")
                    for error in errors:
                        print(error)
    except ContentInvalid as invalid:
        print("Not published; the content has errors:", file=sys.stderr)
        print(invalid.report(), file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0
