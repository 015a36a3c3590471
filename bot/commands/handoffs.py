"""`puente handoffs purge`: closed conversations with a person, and their messages, deleted
after HANDOFF_RETENTION_DAYS (default 90). The hourly retention job does it too
(bot/conversation/retention.py); the command is for running it at once. The counters the network figures read
are kept (they name no person)."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("handoffs", help="conversations with a person: purge closed ones after the retention")
    inner = parser.add_subparsers(dest="handoffs_command", required=True)
    purge = inner.add_parser("purge", help="delete handoffs closed more than HANDOFF_RETENTION_DAYS ago")
    purge.set_defaults(run=run_purge)


def run_purge(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from bot.conversation.handoffs import purge
    from db.database import Database

    db = Database(settings.database_url)
    with db.transaction() as conn:
        removed = purge(conn, dt.datetime.now(dt.UTC), settings.handoff_retention_days)
    print(f"{removed} closed handoff(s) older than {settings.handoff_retention_days} days deleted")
    return 0
