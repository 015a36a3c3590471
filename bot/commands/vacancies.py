"""`puente vacancies import|export|search|alerts|flags|sample`: vacancies for staff and cron."""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import getpass
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from bot.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("vacancies", help="import, export and search vacancies; send alerts; see reports")
    inner = parser.add_subparsers(dest="vacancies_command", required=True)

    imp = inner.add_parser("import", help="import a CSV or JSON file (docs/vacancies-format.md)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--source", help="source for rows without one (e.g. sne-chiapas)")
    imp.set_defaults(run=run_import)

    exp = inner.add_parser("export", help="write vacancies in the import format")
    exp.add_argument("--format", choices=("json", "csv"), default="json")
    exp.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    exp.add_argument("--source", help="only this source")
    exp.add_argument("--current", action="store_true", help="only vacancies open today")
    exp.set_defaults(run=run_export)

    find = inner.add_parser("search", help="search as a user would (e.g. \"albañil en Monterrey\")")
    find.add_argument("text")
    find.add_argument("--lang", default="es", choices=("es", "ht", "fr", "en", "pt"))
    find.add_argument("--document", help="only vacancies accepting this document id")
    find.add_argument("--limit", type=int, default=10)
    find.set_defaults(run=run_search)

    alerts = inner.add_parser("alerts", help="send new matching vacancies to subscribed users")
    alerts.add_argument("--loop", type=int, metavar="SECONDS", help="run again every SECONDS")
    alerts.set_defaults(run=run_alerts)

    flags = inner.add_parser("flags", help="vacancies users reported (asks for money, fraud, wrong data)")
    flags.add_argument("--days", type=int, help="only reports from the last DAYS days")
    flags.set_defaults(run=run_flags)

    reindex = inner.add_parser("reindex", help="recompute trades and filters of every vacancy "
                               "(after editing bot/nlu/data/occupations.yaml)")
    reindex.set_defaults(run=run_reindex)

    sample = inner.add_parser("sample", help="load the sample vacancies (fictional) into the database")
    sample.set_defaults(run=run_sample)


def _database(settings: Settings) -> Any:
    from db.database import Database, ensure_sqlite_dir
    from db.migrate import upgrade

    ensure_sqlite_dir(settings.database_url)
    db = Database(settings.database_url)
    upgrade(db)
    return db


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.days import mexico_today
    from bot.vacancies.importer import FileUnreadable, import_file
    from db.audit import record

    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    db = _database(settings)
    try:
        report = import_file(db, args.file, today=mexico_today(), now=dt.datetime.now(dt.UTC),
                             default_source=args.source)
    except FileUnreadable as error:
        print(f"{args.file}: {error}; nothing was imported", file=sys.stderr)
        db.dispose()
        return 1
    for problem in report.errors:
        print(f"{args.file}: error: {problem}", file=sys.stderr)
    for problem in report.warnings:
        print(f"{args.file}: warning: {problem}", file=sys.stderr)
    with db.transaction() as conn:
        record(conn, _actor(), "vacancies.import", {
            "file": args.file.name, "rows": report.rows, "inserted": report.inserted,
            "updated": report.updated, "rows_with_errors": report.bad_rows,
        })
    db.dispose()
    print(report.summary())
    return 1 if report.errors else 0


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.days import mexico_today
    from bot.vacancies.record import FIELD_NAMES
    from db.audit import record
    from db.vacancies.store import iter_vacancies

    db = _database(settings)
    out: TextIO = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    count = 0
    try:
        with db.transaction() as conn:
            rows = iter_vacancies(conn, source=args.source, today=mexico_today() if args.current else None)
            if args.format == "csv":
                writer = csv.DictWriter(out, fieldnames=list(FIELD_NAMES))
                writer.writeheader()
                for vacancy in rows:
                    data = vacancy.as_record()
                    data["documents"] = ";".join(data["documents"])
                    writer.writerow({k: _plain(v) for k, v in data.items()})
                    count += 1
            else:
                out.write("[")
                for vacancy in rows:
                    data = {k: _plain(v) for k, v in vacancy.as_record().items()}
                    out.write(("," if count else "") + "\n  " + json.dumps(data, ensure_ascii=False))
                    count += 1
                out.write("\n]\n")
            record(conn, _actor(), "vacancies.export", {"format": args.format, "rows": count,
                                                        "source": args.source})
    finally:
        if args.output:
            out.close()
        db.dispose()
    if args.output:
        print(f"wrote {count} vacancies to {args.output}")
    return 0


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def run_search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.nlu.occupations import Occupations
    from bot.nlu.places import Places
    from bot.vacancies.cards import place_of
    from bot.days import mexico_today
    from bot.vacancies.request import read_request
    from bot.vacancies.search import VacancySearch
    from bot.vacancies.spec import describe

    occupations, places = Occupations.load(), Places.load()
    spec = read_request(args.text, args.lang, occupations, places)
    if args.document:
        spec = spec.but(document=args.document)
    if spec.is_empty:
        print("no trade, place or word to search for in that text")
        return 1
    db = _database(settings)
    with db.transaction() as conn:
        page = VacancySearch(conn, occupations, places).page(spec, mexico_today(), limit=args.limit)
    db.dispose()
    print(f"search: {describe(page.spec, 'es', occupations, places)}"
          + (" (relaxed: not every word matched)" if page.relaxed else ""))
    for vacancy in page.vacancies:
        amounts = [f"${_plain(a):,}" for a in (vacancy.salary_min, vacancy.salary_max) if a is not None]
        pay = f"  {'-'.join(amounts)}/{vacancy.salary_period}" if amounts else ""
        print(f"  #{vacancy.id} {vacancy.title} — {vacancy.employer} — {place_of(vacancy, places)}{pay}"
              f"  [{vacancy.source}:{vacancy.external_id}]")
    if not page.vacancies:
        print("  nothing found")
    elif page.has_more:
        print(f"  … more with --limit {args.limit * 2}")
    return 0


def notifier_of(app: Any) -> Any:
    """The channels' Notifier, or None when neither Telegram nor WhatsApp is configured."""
    settings = app.settings
    return app.notifier if settings.telegram_enabled or settings.whatsapp_enabled else None


def run_alerts(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import build_app
    from bot.vacancies.alerts import AlertSender, parse_templates
    from db.failures import FAILURES, database_failure

    app = build_app(settings)
    try:
        notifier = notifier_of(app)
        if notifier is None:
            print("No channel can send messages first (no notifier is configured): set up Telegram or "
                  "WhatsApp (README, Configuration). Nothing was sent.", file=sys.stderr)
            return 2
        sender = AlertSender(
            app.db, lambda: app.live.content, app.services.formatter, notifier,
            templates=parse_templates(settings.extra.get("VACANCY_ALERT_TEMPLATES", "")),
        )

        async def loop() -> None:
            try:
                await rounds()
            finally:
                await app.aclose()  # the channels' connection pools, on their loop

        async def rounds() -> None:
            while True:
                app.live.refresh()
                try:
                    print((await sender.run_once()).summary(), flush=True)
                except FAILURES as error:
                    if not args.loop:
                        raise
                    # A round missed (an import holding SQLite's lock, PostgreSQL restarting): the
                    # next one sends what this one would have; alerts not sent stay due.
                    print(f"{database_failure(error)} (again in {args.loop} s)", file=sys.stderr, flush=True)
                if not args.loop:
                    return
                await asyncio.sleep(args.loop)

        try:
            asyncio.run(loop())
        except KeyboardInterrupt:
            pass
    finally:
        app.close()
    return 0


def run_flags(args: argparse.Namespace, settings: Settings) -> int:
    from db.vacancies.flags import flag_summaries

    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=args.days) if args.days else None
    db = _database(settings)
    with db.transaction() as conn:
        found = flag_summaries(conn, since=since)
    db.dispose()
    if not found:
        print("no vacancy has been reported")
        return 0
    print(f"{'reports':>7}  {'money':>5} {'fraud':>5} {'wrong':>5}  {'last report':<16}  vacancy")
    for flag in found:
        c = flag.counts
        print(f"{flag.total:>7}  {c.get('money', 0):>5} {c.get('fraud', 0):>5} {c.get('wrong', 0):>5}  "
              f"{flag.last:%Y-%m-%d %H:%M}  #{flag.vacancy_id} {flag.title} — {flag.employer} "
              f"[{flag.source}:{flag.external_id}, closes {flag.expires_on}]")
    print("\nTo withdraw an offer, import it again with expires_on in the past.")
    return 0


def run_sample(args: argparse.Namespace, settings: Settings) -> int:
    from bot.days import mexico_today
    from bot.vacancies.sample import load_sample

    db = _database(settings)
    report = load_sample(db, mexico_today())
    db.dispose()
    print(f"sample vacancies: {report.summary()}")
    return 0


def run_reindex(args: argparse.Namespace, settings: Settings) -> int:
    from bot.vacancies.importer import reindex

    db = _database(settings)
    changed = reindex(db)
    db.dispose()
    print(f"{changed} vacancies re-indexed")
    return 0
