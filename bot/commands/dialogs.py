"""`puente dialogs check`: validate the flows and translations like code."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("dialogs", help="check the YAML flows and their translations")
    inner = parser.add_subparsers(dest="dialogs_command", required=True)
    check = inner.add_parser("check", help="report every content error with file, line and fix")
    check.set_defaults(run=run_check)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.action_bridge import ActionBridge
    from bot.content.loader import check_content
    from bot.content.source import ContentSource

    source = ContentSource.from_directory(settings.content_dir)
    errors = check_content(source, ActionBridge.from_package().names())
    for error in errors:
        print(error)
    flows = sum(1 for path, _ in source.dialogs())
    if errors:
        print(f"\n{len(errors)} error(s) in {flows} file(s).")
        return 1
    print(f"OK: {flows} dialog file(s), {len(source.files) - flows} catalog(s), no errors.")
    return 0
