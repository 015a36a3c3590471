"""`puente i18n extract|stats`: the translation workflow with ordinary gettext tools.
With --admin, the same for the staff web admin's own words (bot/web/admin/locales)."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("i18n", help="translations: extract texts, show progress per language")
    inner = parser.add_subparsers(dest="i18n_command", required=True)
    extract = inner.add_parser(
        "extract", help="write locales/messages.pot from dialogs/ and merge it into every .po"
    )
    extract.add_argument("--admin", action="store_true",
                         help="instead: the web admin's words -> bot/web/admin/locales (admin.pot, <lang>/admin.po)")
    extract.set_defaults(run=run_extract)
    stats = inner.add_parser("stats", help="translated / fuzzy / missing texts per language")
    stats.add_argument("--admin", action="store_true", help="instead: the web admin's words, Spanish and English")
    stats.set_defaults(run=run_stats)


def run_extract(args: argparse.Namespace, settings: Settings) -> int:
    if args.admin:
        from bot.web.admin.catalogs import write_catalogs as write_admin

        written = write_admin()
    else:
        from bot.content.extract import write_catalogs

        written = write_catalogs(settings.content_dir)
    for path in written:
        print(f"wrote {path}")
    return 0


def run_admin_stats() -> int:
    from bot.web.admin.catalogs import missing, template
    from bot.web.admin.translations import LANGUAGES

    total = sum(1 for message in template() if message.id)
    print(f"{'language':<10}{'translated':>12}{'missing':>9}")
    gaps = 0
    for lang in LANGUAGES:
        absent = missing(lang)
        gaps += len(absent)
        print(f"{lang:<10}{total - len(absent):>7}/{total:<4}{len(absent):>9}")
    return 1 if gaps else 0


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    if args.admin:
        return run_admin_stats()
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
