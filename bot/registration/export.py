"""Registrations as a file for the SNE: CSV or XLSX, columns in the order of docs/registrations-export.md.

Every export is recorded in the audit log (who, when, how many, which filters) in the same
transaction as the read, and never with personal data.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection

from bot.nlu import languages as spoken
from bot.nlu.countries import Countries
from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.profile import DOCUMENT_NAMES
from bot.registration.education import EDUCATION
from bot.registration.filters import ExportFilter
from db import audit
from db import registrations as registration_store
from db.database import Database

FORMATS = ("csv", "xlsx")
AUDIT_ACTION = "registrations.export"
# A spreadsheet runs a cell starting with one of these as a formula: text typed by users
# (names, places, trades in their words) gets a leading apostrophe instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[registration_store.StoredRegistration, Places, Occupations], Any]
    user_text: bool = False  # typed by the person: guarded against spreadsheet formulas


def _spanish_country(code: str) -> str:
    return Countries.load().label(code, "es")


def _joined(items: Iterable[str]) -> str:
    return "; ".join(items)


COLUMNS: tuple[Column, ...] = (
    Column("folio", lambda r, p, o: r.id),
    Column("fecha_registro", lambda r, p, o: r.created_at),
    Column("fecha_actualizacion", lambda r, p, o: r.updated_at),
    Column("nombre_completo", lambda r, p, o: r.data.full_name, user_text=True),
    Column("fecha_nacimiento", lambda r, p, o: r.data.birth_date),
    Column("nacionalidad", lambda r, p, o: _spanish_country(r.data.nationality)),
    Column("nacionalidad_iso", lambda r, p, o: r.data.nationality),
    Column("documento_migratorio", lambda r, p, o: DOCUMENT_NAMES.get(r.data.document, r.data.document)),
    Column("curp", lambda r, p, o: r.data.curp or ""),
    Column("telefono", lambda r, p, o: r.data.phone),
    Column("entidad_clave", lambda r, p, o: r.data.state),
    Column("entidad", lambda r, p, o: p.state(r.data.state).name),
    Column("municipio", lambda r, p, o: r.data.municipality, user_text=True),
    Column("escolaridad", lambda r, p, o: EDUCATION.get(r.data.education, r.data.education)),
    Column("ocupaciones", lambda r, p, o: _joined(
        o.trades[t].label("es") for t in r.data.trades if t in o.trades)),
    Column("sinco", lambda r, p, o: _joined(r.data.sinco)),
    Column("ocupacion_texto", lambda r, p, o: r.data.occupation_text, user_text=True),
    Column("experiencia_anios", lambda r, p, o: r.data.experience_years),
    Column("idiomas", lambda r, p, o: _joined(spoken.label(c, "es") for c in r.data.languages)),
    Column("disponible_cambiar_estado", lambda r, p, o: "Sí" if r.data.willing_to_relocate else "No"),
    Column("idioma_contacto", lambda r, p, o: spoken.label(r.data.chat_language, "es")),
    Column("aviso_privacidad_version", lambda r, p, o: r.data.consent_version),
    Column("aviso_privacidad_aceptado", lambda r, p, o: r.data.consent_at),
)
HEADER = tuple(c.name for c in COLUMNS)


def rows(records: Iterable[registration_store.StoredRegistration]) -> Iterator[list[Any]]:
    """Typed values per registration (dates stay dates), user text made formula-safe."""
    places, occupations = Places.load(), Occupations.load()
    for record in records:
        row = []
        for column in COLUMNS:
            value = column.value(record, places, occupations)
            if column.user_text and isinstance(value, str) and value.startswith(_FORMULA_START):
                value = "'" + value
            row.append(value)
        yield row


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(stream: IO[bytes], data: Iterable[list[Any]]) -> int:
    """UTF-8 with a byte-order mark (so Excel reads the accents), comma-separated, RFC 4180."""
    text = _TextOut(stream)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for row in data:
        writer.writerow([_text(v) for v in row])
        count += 1
    text.flush()
    return count


class _TextOut:
    """Encodes csv output to the binary stream as UTF-8 with a BOM."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.stream.write("\ufeff".encode())

    def write(self, text: str) -> int:
        return self.stream.write(text.encode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def write_xlsx(stream: IO[bytes], data: Iterable[list[Any]]) -> int:
    """One sheet 'registros'; dates are real dates, text cells are never formulas.

    openpyxl is imported here, not with the module: it imports NumPy when NumPy is installed
    (scikit-learn brings it), about 18 MB of a worker's memory for a page staff rarely use."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("registros")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in data:
        sheet.append([_xlsx_value(sheet, value) for value in row])
        count += 1
    book.save(stream)
    return count


def _xlsx_value(sheet: Any, value: Any) -> Any:
    """Plain values are fastest; moments lose their zone (UTC), text never becomes a formula."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


WRITERS: dict[str, Callable[[IO[bytes], Iterable[list[Any]]], int]] = {"csv": write_csv, "xlsx": write_xlsx}


def export(
    db: Database, path: Path, fmt: str, where: ExportFilter, actor: str,
    now: dt.datetime | None = None,
) -> int:
    """Write the file (readable by its owner only) and record the export; returns the row count."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    moment = now or dt.datetime.now(dt.UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    with db.transaction() as conn:
        try:
            with _private_file(path) as stream:
                count = write_export(conn, stream, fmt, where, actor, moment, path.name)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()  # no half-written file, and no file without its audit entry
            raise
    return count


def write_export(
    conn: Connection, stream: IO[bytes], fmt: str, where: ExportFilter, actor: str, now: dt.datetime,
    file_name: str,
) -> int:
    """Write the registrations to `stream` and record the export, in the caller's transaction
    (the CLI's file, the web admin's download); returns the row count."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    records = registration_store.search(conn, since=where.since, until=where.until, state=where.state)
    count = WRITERS[fmt](stream, rows(records))
    audit.record(conn, actor, AUDIT_ACTION, {"format": fmt, "rows": count, "file": file_name, **where.audit_detail()},
                 now)
    return count


@contextlib.contextmanager
def _private_file(path: Path) -> Iterator[IO[bytes]]:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file was already there
    with os.fdopen(descriptor, "wb") as stream:
        yield stream
