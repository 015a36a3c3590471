"""`puente staff add`: staff accounts for the web admin, from the server's command line."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys

from bot.settings import Settings
from db.admin import ROLES


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("staff", help="staff accounts of the web admin (/admin)")
    inner = parser.add_subparsers(dest="staff_command", required=True)
    add = inner.add_parser("add", help="add an account; its password is generated and printed once, or typed")
    add.add_argument("login", help="lowercase login, e.g. maria.lopez")
    add.add_argument("--role", choices=ROLES, required=True,
                     help="admin, editor (content editor), caseworker or viewer")
    add.add_argument("--ask-password", action="store_true", help="type the password instead of generating one")
    add.set_defaults(run=run_add)


def actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    from argon2 import PasswordHasher

    from bot.web.admin.auth import AccountError, Accounts, generate_password
    from db.database import Database
    from db.migrate import upgrade

    if args.ask_password:
        password = getpass.getpass("Password (at least 12 characters): ")
        if password != getpass.getpass("Again: "):
            print("The two passwords differ; nothing was changed.", file=sys.stderr)
            return 1
    else:
        password = generate_password()
    db = Database(settings.database_url)
    try:
        upgrade(db)
        with db.transaction() as conn:
            Accounts(PasswordHasher()).add(conn, args.login, args.role, password, actor(), dt.datetime.now(dt.UTC))
    except AccountError as refused:
        print(f"Not added: {refused}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"Added {args.login.strip().lower()} ({args.role}).")
    if not args.ask_password:
        print(f"Password (shown only now): {password}")
    return 0


def ensure_first_admin(db: object) -> None:
    """`puente start` on a database without staff: an 'admin' account, its password printed once."""
    from argon2 import PasswordHasher

    from bot.web.admin.auth import Accounts, generate_password
    from db import staff as store
    from db.database import Database

    assert isinstance(db, Database)
    with db.transaction() as conn:
        if store.count(conn):
            return
        password = generate_password()
        Accounts(PasswordHasher()).add(conn, "admin", "admin", password, actor(), dt.datetime.now(dt.UTC))
    print(f"First staff account for the web admin: login 'admin', password {password}\n"
          "(shown only this once: write it down, then change it under 'My account').")
