"""The sample vacancies (tools/make_sample_vacancies.py), loaded by `puente start` into an empty
database so that a fresh clone has offers to find. Every one says it is sample data."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from bot.days import mexico_today
from bot.vacancies.importer import ImportReport, import_rows, read_json
from bot.vacancies.record import VacancyRecord
from db.database import Database
from db.vacancies.store import count_vacancies

SAMPLE_FILE = Path(__file__).with_name("data") / "sample_vacancies.json"


def load_sample(db: Database, today: dt.date, now: dt.datetime | None = None) -> ImportReport:
    """Import the sample with its dates moved so that the newest offer is published today."""
    rows = read_json(SAMPLE_FILE.read_text(encoding="utf-8"))
    newest = max(dt.date.fromisoformat(raw["published_on"]) for _, raw in rows)
    shift = today - newest

    def move(record: VacancyRecord) -> VacancyRecord:
        record.published_on += shift
        record.expires_on += shift
        return record

    return import_rows(db, rows, today=today, now=now or dt.datetime.now(dt.UTC), adjust=move)


def load_sample_if_empty(db: Database, out: TextIO | None = None) -> int:
    """For `puente start`: nothing happens once any vacancy exists (imported or sample)."""
    with db.transaction() as conn:
        if count_vacancies(conn):
            return 0
    report = load_sample(db, mexico_today())
    print(f"Loaded {report.imported} sample vacancies (fictional, marked as sample data). "
          "Import real ones with `puente vacancies import FILE`.", file=out or sys.stdout)
    return report.imported
