"""`puente vacancies import`: CSV, XLSX or JSON in, a report with line numbers out. Good rows are
imported (upsert by source + external id) even when other rows are broken."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, update

from bot.nlu.normalize import normalize
from bot.nlu.occupations import Occupations
from bot.vacancies.facets import TradeTagger, facets_of
from bot.vacancies.problems import FileUnreadable, Problem
from bot.vacancies.progress import Progress
from bot.vacancies.record import RecordError, VacancyRecord, parse_record
from bot.vacancies.spreadsheets import Row, read_csv, read_xlsx
from db.database import Database
from db.vacancies.store import iter_vacancies, upsert_vacancies
from db.vacancies.tables import vacancies

BATCH = 500
# Columns every CSV needs (source may come from --source or the upload form instead).
REQUIRED_COLUMNS = ("external_id", "title", "employer", "state", "how_to_apply")
__all__ = ["FileUnreadable", "Problem", "Row", "read_csv"]


@dataclass
class ImportReport:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    bad_rows: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.inserted + self.updated

    def summary(self) -> str:
        return (f"{self.rows} row(s): {self.inserted} new, {self.updated} updated, "
                f"{self.bad_rows} with errors (not imported), {len(self.warnings)} warning(s)")


# -- reading -----------------------------------------------------------------------------------

def read_file(path: Path) -> tuple[list[Row], list[Problem]]:
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str) -> tuple[list[Row], list[Problem]]:
    """A file's contents (the CLI's file, the web admin's upload); `name` gives its kind."""
    kind = Path(name).suffix.lower().lstrip(".")
    if kind == "xlsx" or data[:4] == b"PK\x03\x04":  # a workbook is a zip file
        rows, notes = read_xlsx(data)
        _require_columns(rows)
        return rows, notes
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileUnreadable(0, f"not UTF-8 text (byte {error.start}); save the file as UTF-8",
                             "not_utf8", byte=error.start) from None
    if kind not in ("csv", "json", "jsonl"):
        kind = "json" if text.lstrip()[:1] in ("[", "{") else "csv"
    if kind == "csv":
        rows, notes = read_csv(text)
        _require_columns(rows)
        return rows, notes
    return read_json(text), []


def _require_columns(rows: list[Row]) -> None:
    """A CSV without a required column cannot import any row: say so once, not on every line."""
    if not rows:
        return
    header = set(rows[0][1])
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise FileUnreadable(1, f"the first line has no column {', '.join(missing)}: it must name the columns "
                                "of docs/vacancies-format.md (source, external_id, title, employer, state, "
                                "how_to_apply, ...)", "missing_columns", columns=", ".join(missing))


def read_json(text: str) -> list[Row]:
    """A JSON array of objects (or one object per line). Each object keeps its starting line."""
    stripped = text.lstrip()
    if not stripped:
        raise FileUnreadable(0, "the file is empty", "empty")
    decoder = json.JSONDecoder()
    position = len(text) - len(stripped)
    array = stripped.startswith("[")
    if array:
        position += 1
    rows: list[Row] = []
    lines_before, counted_to = 1, 0

    def line_at(index: int) -> int:
        nonlocal lines_before, counted_to
        lines_before += text.count("\n", counted_to, index)
        counted_to = index
        return lines_before

    while True:
        position = _skip(text, position, ",\n\r\t " if array else "\n\r\t ")
        if position >= len(text) or (array and text[position] == "]"):
            break
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise FileUnreadable(error.lineno, f"broken JSON: {error.msg} (column {error.colno})", "broken_json",
                                 column=error.colno) from None
        line = line_at(position)
        if not isinstance(value, dict):
            raise FileUnreadable(line, "each vacancy must be a JSON object {...}", "not_object")
        rows.append((line, value))
        position = end
    if array and (position >= len(text) or text[position] != "]"):
        raise FileUnreadable(line_at(min(position, len(text))), "broken JSON: the list is not closed with ]",
                             "unclosed_list")
    return rows


def _skip(text: str, position: int, characters: str) -> int:
    while position < len(text) and text[position] in characters:
        position += 1
    return position


# -- importing ---------------------------------------------------------------------------------

def import_rows(
    db: Database,
    rows: Sequence[Row],
    *,
    today: dt.date,
    now: dt.datetime,
    default_source: str | None = None,
    label: str = "import",
    progress_stream: Any = None,
    adjust: Callable[[VacancyRecord], VacancyRecord] | None = None,
) -> ImportReport:
    """Check every row, then upsert the good ones in one transaction, oldest publication first
    (search shows the most recently added first: within a file, that is the newest)."""
    checked = check_rows(rows, today=today, default_source=default_source, label=label,
                         progress_stream=progress_stream, adjust=adjust)
    with db.transaction() as conn:
        store_checked(conn, checked, now, progress_stream=progress_stream)
    return checked.report


@dataclass
class CheckedRows:
    """The report so far and the good rows, ready to store (in publication order)."""

    report: ImportReport
    rows: list[dict[str, Any]]
    label: str = "import"


def check_rows(
    rows: Sequence[Row],
    *,
    today: dt.date,
    default_source: str | None = None,
    label: str = "import",
    progress_stream: Any = None,
    adjust: Callable[[VacancyRecord], VacancyRecord] | None = None,
) -> CheckedRows:
    """Every row checked (errors and warnings by line); nothing is written."""
    report = ImportReport(rows=len(rows))
    occupations = Occupations.load()
    tagger = TradeTagger(occupations)
    seen: dict[tuple[str, str], int] = {}
    checking = Progress(len(rows), f"{label}: checking", progress_stream)
    good: list[tuple[dt.date, int, dict[str, Any]]] = []
    for index, (line, raw) in enumerate(rows):
        record = _check(report, line, raw, today, default_source, occupations, seen, adjust)
        if record is not None:
            good.append((record.published_on, index, stored(record, tagger)))
        if index % BATCH == BATCH - 1 or index == len(rows) - 1:
            checking.advance(index % BATCH + 1)
    checking.finish()
    ordered = [row for _, _, row in sorted(good, key=lambda item: item[:2])]
    return CheckedRows(report, ordered, label)


def store_checked(conn: Connection, checked: CheckedRows, now: dt.datetime, *, progress_stream: Any = None) -> None:
    """Upsert the good rows in the caller's transaction; counts go into the report."""
    ordered, report = checked.rows, checked.report
    storing = Progress(len(ordered), f"{checked.label}: storing", progress_stream)
    for start in range(0, len(ordered), BATCH):
        counts = upsert_vacancies(conn, ordered[start:start + BATCH], now, normalize)
        report.inserted += counts.inserted
        report.updated += counts.updated
        storing.advance(len(ordered[start:start + BATCH]))
    storing.finish()


def stored(record: VacancyRecord, tagger: TradeTagger) -> dict[str, Any]:
    """The record as the store keeps it, with its facets for the full-text index."""
    row = record.model_dump()
    row["facets"] = facets_of(state=record.state, municipality=record.municipality, sinco=record.sinco,
                              documents=record.documents, title=record.title, tagger=tagger)
    return row


def _check(
    report: ImportReport, line: int, raw: dict[str, Any], today: dt.date, default_source: str | None,
    occupations: Occupations, seen: dict[tuple[str, str], int],
    adjust: Callable[[VacancyRecord], VacancyRecord] | None,
) -> VacancyRecord | None:
    try:
        record = parse_record(raw, today=today, default_source=default_source, occupations=occupations)
    except RecordError as error:
        report.errors += [Problem(line, p.message, p.field, p.code, p.values) for p in error.problems]
        report.bad_rows += 1
        return None
    if adjust is not None:
        record = adjust(record)
    key = (record.source, record.external_id)
    if key in seen:
        report.warnings.append(Problem(line, f"same source and external_id as line {seen[key]}; this line wins",
                                       code="duplicate", values={"first": seen[key]}))
    seen[key] = line
    if record.below_minimum_wage():
        report.warnings.append(Problem(line, "the salary is below the 2026 general minimum wage "
                                             "($315.04 a day); check it with the employer", code="below_minimum_wage"))
    if record.expires_on < today:
        report.warnings.append(Problem(line, f"expired on {record.expires_on}: stored, never shown",
                                       code="expired", values={"day": record.expires_on}))
    return record


def import_file(
    db: Database, path: Path, *, today: dt.date, now: dt.datetime, default_source: str | None = None,
    progress_stream: Any = None,
) -> ImportReport:
    rows, notes = read_file(path)
    report = import_rows(db, rows, today=today, now=now, default_source=default_source, label=path.name,
                         progress_stream=progress_stream)
    report.warnings = notes + report.warnings
    return report


def reindex(db: Database) -> int:
    """Recompute every offer's facets (after editing bot/nlu/data/occupations.yaml); how many changed."""
    tagger = TradeTagger(Occupations.load())
    changed = 0
    with db.transaction() as conn:
        updates = []
        for vacancy in iter_vacancies(conn):
            facets = facets_of(state=vacancy.state, municipality=vacancy.municipality, sinco=vacancy.sinco,
                               documents=vacancy.documents, title=vacancy.title, tagger=tagger)
            updates.append((vacancy.id, facets))
        for vacancy_id, facets in updates:
            result = conn.execute(
                update(vacancies).where(vacancies.c.id == vacancy_id, vacancies.c.facets != facets).values(facets=facets)
            )
            changed += result.rowcount or 0
    return changed
