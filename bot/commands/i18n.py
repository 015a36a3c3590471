"""`puente i18n extract|stats`: the translation workflow with ordinary gettext tools."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("i18n", help="translations: extract texts, show progress per language")
    inner = parser.add_subparsers(dest="i18n_command", required=True)
    extract = inner.add_parser(
        "extract", help="write locales/messages.pot from dialogs/ and merge it into every .po"
    )
    extract.set_defaults(run=run_extract)
    stats = inner.add_parser("stats", help="translated / fuzzy / missing texts per language")
    stats.set_defaults(run=run_stats)


def run_extract(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content.extract import write_catalogs

    for path in write_catalogs(settings.content_dir):
        print(f"wrote {path}")
    return 0


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content.catalog import statistics
    from bot.content.loader import read_pack
    from bot.content.source import ContentSource

    docs, catalogs, errors = read_pack(ContentSource.from_directory(settings.content_dir))
    for error in errors:
        print(error)
    texts = {item.ctx: item.source for item in docs.texts()}
    print(f"{'language':<10}{'translated':>12}{'fuzzy':>8}{'missing':>9}{'review':>8}")
    for row in statistics(texts, catalogs):
        print(f"{row.language:<10}{row.translated:>7}/{row.total:<4}{row.fuzzy:>8}{row.missing:>9}{row.needs_review:>8}")
    return 1 if errors else 0
