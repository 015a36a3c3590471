"""`puente registrations export`: the SNE registrations as CSV or XLSX, recorded in the audit log."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from bot.registration.filters import BadOption, moment, state_code
from bot.settings import Settings

__all__ = ["BadOption", "moment", "register", "state_code"]


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("registrations", help="SNE registrations: export for the employment service")
    inner = parser.add_subparsers(dest="registrations_command", required=True)
    export = inner.add_parser(
        "export",
        help="write registrations to CSV or XLSX (columns: docs/registrations-export.md)",
        description="Writes the registrations created or changed in the period, oldest first. "
        "Every export is recorded in the audit log. A day (YYYY-MM-DD) is Mexico City's day, "
        "a moment without a zone is UTC; the times in the file are UTC.",
    )
    export.add_argument("--since", metavar="DATE", help="from this day (YYYY-MM-DD) or moment (ISO 8601)")
    export.add_argument("--until", metavar="DATE", help="up to and including this day, or before this moment")
    export.add_argument("--state", help="only this state: INEGI code (07) or name (Chiapas)")
    export.add_argument("--format", choices=("csv", "xlsx"), help="default: from --output, else csv")
    export.add_argument("--output", "-o", type=Path,
                        help="file to write (default: exports/registrations-<time>.<format>)")
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.registration.export import ExportFilter, export
    from db.database import Database
    from db.migrate import is_current

    try:
        where = ExportFilter(
            since=moment(args.since) if args.since else None,
            until=moment(args.until, end_of_day=True) if args.until else None,
            state=state_code(args.state) if args.state else None,
        )
    except BadOption as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    fmt = args.format or (args.output.suffix.lstrip(".").lower() if args.output else "csv")
    if fmt not in ("csv", "xlsx"):
        print("error: the file must end in .csv or .xlsx (or give --format)", file=sys.stderr)
        return 2
    now = dt.datetime.now(dt.UTC)
    path = args.output or Path("exports") / f"registrations-{now:%Y%m%d-%H%M%S}.{fmt}"
    db = Database(settings.database_url)
    try:
        if not is_current(db):
            print("error: the database is not up to date: run `puente db upgrade` first", file=sys.stderr)
            return 1
        count = export(db, path, fmt, where, actor=f"cli:{getpass.getuser()}", now=now)
    finally:
        db.dispose()
    print(f"wrote {count} registration(s) to {path} (recorded in the audit log)")
    return 0
