"""The `puente` command line. Each group lives in bot/commands/<group>.py."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from bot.settings import Settings, SettingsError

COMMAND_MODULES = (
    "start", "chat", "serve", "worker", "telegram", "dialogs", "i18n", "db", "staff", "content", "registrations",
    "vacancies", "nlu", "handoffs",
)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="puente",
        description="Puente: a multilingual assistant for migrants looking for work in Mexico.",
    )
    sub = root.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"bot.commands.{name}").register(sub)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_environ()
    except SettingsError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic", "rasa_sdk", "httpx", "telegram", "twilio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from bot.content.loader import ContentInvalid
    from db.failures import FAILURES, database_failure

    try:
        return int(args.run(args, settings) or 0)
    except ContentInvalid as invalid:
        print("The content has errors; the bot will not start until they are fixed:", file=sys.stderr)
        print(invalid.report(), file=sys.stderr)
        return 1
    except FAILURES as error:
        print(database_failure(error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
