"""Reading vacancy rows from a spreadsheet: CSV text (`,` or `;` between columns) or an Excel
workbook (.xlsx, through openpyxl). Rows keep their line in the file for the report.

The separator is the one that splits the first line into known column names: counting `;` and
`,` on that line is fooled by a header in quotes, and the documents column is itself a list
separated by `;`. In a `;` file a documents list written without quotes spills over into the
next cells; when those cells are all document codes they are put back together."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

from bot.vacancies.problems import FileUnreadable, Problem
from bot.vacancies.record import ACCEPTED_DOCUMENTS, FIELD_NAMES

Row = tuple[int, dict[str, Any]]  # (line in the file, raw fields)
SEPARATORS = (",", ";")


def separator(first_line: str) -> str:
    """The separator whose cells on the first line are most often known column names."""
    def known(candidate: str) -> int:
        try:
            cells = next(csv.reader([first_line], delimiter=candidate))
        except (csv.Error, StopIteration):
            return 0
        return sum(1 for cell in cells if cell.strip().lower() in FIELD_NAMES)

    scores = {candidate: known(candidate) for candidate in SEPARATORS}
    best = max(scores.values())
    if best == 0:  # no known column either way: the old count (the caller reports the columns)
        return ";" if first_line.count(";") > first_line.count(",") else ","
    return next(candidate for candidate in SEPARATORS if scores[candidate] == best)


def _rejoin_documents(cells: list[str], header: list[str], delimiter: str) -> list[str]:
    """A `;`-separated documents list without quotes, in a `;` file, back in one cell."""
    extra = len(cells) - len(header)
    if extra <= 0 or delimiter != ";" or "documents" not in header:
        return cells
    at = header.index("documents")
    spilled = cells[at:at + extra + 1]
    if all(cell.strip().lower() in ACCEPTED_DOCUMENTS for cell in spilled if cell.strip()):
        return cells[:at] + [";".join(c.strip() for c in spilled if c.strip())] + cells[at + extra + 1:]
    return cells


def read_csv(text: str) -> tuple[list[Row], list[Problem]]:
    first = next(iter(io.StringIO(text, newline="")), "").rstrip("\r\n")
    delimiter = separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise FileUnreadable(0, "the file is empty", "empty") from None
    except csv.Error as error:
        raise FileUnreadable(1, f"not CSV: {error}", "not_csv") from None
    notes = _unknown_columns(header)
    rows: list[Row] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                cells = _rejoin_documents(cells, header, delimiter)
                if len(cells) > len(header):
                    notes.append(Problem(line, f"{len(cells)} cells but {len(header)} columns; extra cells ignored",
                                         code="extra_cells", values={"cells": len(cells), "columns": len(header)}))
                rows.append((line, dict(zip(header, cells))))
            line = reader.line_num + 1
    except csv.Error as error:
        raise FileUnreadable(line, f"broken CSV: {error}", "broken_csv") from None
    return rows, notes


def _unknown_columns(header: list[str]) -> list[Problem]:
    return [Problem(1, f"unknown column '{h}' is ignored", code="unknown_column", values={"column": h})
            for h in header if h and h not in FIELD_NAMES]


def _cell(value: Any) -> Any:
    """A workbook cell as the importer reads a CSV cell: dates as ISO days, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(str(value)))
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def read_xlsx(data: bytes) -> tuple[list[Row], list[Problem]]:
    """The first sheet of a workbook: the first row names the columns; a row's line is its number."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise FileUnreadable(0, f"not a readable Excel workbook (.xlsx): {type(error).__name__}",
                             "not_xlsx") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        found = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
    finally:
        book.close()
    if not found or not any(cell is not None for cell in found[0]):
        raise FileUnreadable(0, "the file is empty", "empty")
    header = [_cell(h).strip().lower() for h in found[0]]
    rows: list[Row] = []
    for number, values in enumerate(found[1:], start=2):
        cells = [_cell(value) for value in values]
        if any(str(c).strip() for c in cells):
            rows.append((number, {name: cell for name, cell in zip(header, cells) if name}))
    return rows, _unknown_columns(header)
