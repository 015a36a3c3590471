"""Vacancy spreadsheets as staff save them: a CSV whose separator is found from its column names
(`;` files with a `;`-separated documents list do not shift columns), and Excel workbooks read
with openpyxl, dates and numbers as the importer expects them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.vacancies.importer import FileUnreadable, import_file, read_bytes, read_csv
from bot.vacancies.spreadsheets import read_xlsx, separator
from db.database import Database
from db.vacancies.store import iter_vacancies
from tests.vacancies.fixtures import TODAY

NOW = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
HEADER = ["source", "external_id", "title", "employer", "state", "documents", "salary_min", "salary_max",
          "salary_period", "how_to_apply", "published_on"]


def workbook(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_semicolon_file_with_a_semicolon_documents_list_keeps_its_columns() -> None:
    text = ("source;external_id;title;employer;state;documents;salary_min;salary_max;salary_period;how_to_apply\n"
            "sne;1;Cocinero;Fonda La Paz;14;tvrh;permanent_resident;2500;3000;semana;Ven a la fonda\n"
            'sne;2;Mesero;Fonda La Paz;14;"tvrh;comar";2600;3100;semana;Ven a la fonda\n'
            "sne;3;Albañil;Obra Norte;19;;2700;3200;semana;Llama a la obra\n")
    rows, notes = read_csv(text)
    assert notes == []
    first, second, third = (row for _, row in rows)
    assert first["documents"] == "tvrh;permanent_resident"
    assert (first["salary_min"], first["salary_max"], first["how_to_apply"]) == ("2500", "3000", "Ven a la fonda")
    assert second["documents"] == "tvrh;comar" and second["salary_min"] == "2600"
    assert third["documents"] == "" and third["salary_period"] == "semana"


def test_cells_that_are_not_documents_are_not_swallowed() -> None:
    text = "title;employer;state;how_to_apply;documents\nCocinero;Fonda;14;Ven;tvrh;hasta el viernes\n"
    rows, notes = read_csv(text)
    assert rows[0][1]["documents"] == "tvrh"
    assert [n.code for n in notes] == ["extra_cells"]


def test_the_separator_is_the_one_that_names_known_columns() -> None:
    # More ";" than "," on the first line (in a quoted column name), yet a comma file.
    header = 'source,external_id,title,employer,state,how_to_apply,"notas; internas; de; la; oficina; del; sne"'
    assert separator(header) == ","
    rows, notes = read_csv(header + "\nsne,1,Cocinero,Fonda,14,Ven a la fonda,nada\n")
    assert rows[0][1]["title"] == "Cocinero" and [n.code for n in notes] == ["unknown_column"]
    assert separator("título;estado") == ";"  # no known column: the old count decides


def test_an_excel_workbook_is_read_with_dates_and_numbers_as_text(db: Database, tmp_path: Path) -> None:
    data = workbook([
        ["sne", 1001, "Cocinero", "Fonda La Paz", "Jalisco", "tvrh;comar", 2500, 3000.5, "semana",
         "Ven a la fonda de 9 a 13 h", dt.datetime(2026, 11, 20)],
        [None] * len(HEADER),  # an empty row is skipped, like a blank CSV line
        ["sne", "A-2", "Mesero", "Fonda La Paz", 14, None, None, None, None, "Ven a la fonda", "21/11/2026"],
    ])
    rows, notes = read_xlsx(data)
    assert notes == [] and [line for line, _ in rows] == [2, 4]
    first = rows[0][1]
    assert (first["external_id"], first["salary_min"], first["salary_max"], first["published_on"]) == (
        "1001", "2500", "3000.5", "2026-11-20")
    path = tmp_path / "ofertas.xlsx"
    path.write_bytes(data)
    report = import_file(db, path, today=TODAY, now=NOW)
    assert (report.inserted, report.errors) == (2, [])
    with db.transaction() as conn:
        stored = {v.external_id: v for v in iter_vacancies(conn)}
    assert stored["1001"].documents == ("comar", "tvrh") and stored["1001"].published_on == dt.date(2026, 11, 20)
    assert stored["A-2"].state == "14" and stored["A-2"].published_on == dt.date(2026, 11, 21)


def test_a_workbook_is_known_by_its_contents_and_a_broken_one_is_refused() -> None:
    rows, _ = read_bytes(workbook([["sne", 1, "Cocinero", "Fonda", "14", None, None, None, None, "Ven"]]), "upload")
    assert rows[0][1]["title"] == "Cocinero"
    with pytest.raises(FileUnreadable) as broken:
        read_bytes(b"PK\x03\x04 not really a workbook", "ofertas.xlsx")
    assert broken.value.code == "not_xlsx"
    with pytest.raises(FileUnreadable, match="no column external_id"):
        read_bytes(workbook([["Cocinero"]], header=["title"]), "ofertas.xlsx")
