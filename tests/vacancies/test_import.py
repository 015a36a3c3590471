"""Importing vacancy files: the documented format, broken rows reported by line while good rows
are kept, upsert by source + external id, and the export that reads back the same."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.settings import PROJECT_ROOT
from bot.vacancies.importer import FileUnreadable, import_file, read_csv, read_json
from bot.vacancies.progress import Progress
from db.database import Database
from db.vacancies.store import get_vacancy, iter_vacancies
from tests.vacancies.fixtures import TODAY

NOW = dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)
TEMPLATES = [PROJECT_ROOT / "docs" / "vacancies-template.csv", PROJECT_ROOT / "docs" / "vacancies-template.json"]


def rows_in(db: Database) -> list[dict[str, object]]:
    with db.transaction() as conn:
        return [v.as_record() for v in iter_vacancies(conn)]


@pytest.mark.parametrize("template", TEMPLATES, ids=["csv", "json"])
def test_the_documented_templates_import(db: Database, template: Path) -> None:
    report = import_file(db, template, today=TODAY, now=NOW)
    assert (report.inserted, report.updated, report.errors) == (2, 0, [])
    found = {r["external_id"]: r for r in rows_in(db)}
    builder, cook = found["EJ-0001"], found["EJ-0002"]
    assert builder["state"] == "19" and builder["salary_period"] == "week"
    assert builder["documents"] == ["permanent_resident", "tvrh"]
    assert cook["state"] == "23" and cook["salary_period"] == "month"
    assert cook["sinco"] == "5"  # not given: read from the title (cocinero)
    assert cook["expires_on"] == dt.date(2026, 12, 20)  # not given: 30 days after publication


BROKEN_CSV = """\
source;external_id;title;employer;state;salary_min;salary_max;salary_period;how_to_apply;documents;colour
sne;1;Albañil;Constructora Norte;Nuevo León;2500;3000;semanal;Llama al número de la obra;tvrh;red
sne;2;Cocinero;Fonda;Narnia;;;;Ven a la fonda;;
sne;3;"Ayudante
de cocina";Fonda;14;12000;9000;month;Ven a la fonda;;
sne;4;Mesero;Fonda;14;;;;Ven a la fonda;pasaporte;

sne;5;Jardinero;Jardines;14;100;150;week;Ven al vivero;;
sne;;Plomero;Plomería;14;;;;Ven;;
"""


def test_bad_rows_are_reported_by_line_and_good_rows_imported(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "sne.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    report = import_file(db, path, today=TODAY, now=NOW)
    errors = [str(e) for e in report.errors]
    assert "line 3: state: use the INEGI code 01-32 or the state's name (e.g. 19 or Nuevo León)" in errors
    assert "line 4: salary_max is lower than salary_min" in errors  # a quoted field over two lines
    assert any(e.startswith("line 6: documents: unknown document pasaporte") for e in errors)
    assert any(e.startswith("line 9: external_id") for e in errors)
    assert any(e.startswith("line 9: how_to_apply") for e in errors)
    warnings = [str(w) for w in report.warnings]
    assert "line 1: unknown column 'colour' is ignored" in warnings
    assert any(w.startswith("line 8: the salary is below the 2026 general minimum wage") for w in warnings)
    assert (report.rows, report.inserted) == (6, 2)
    assert {r["external_id"] for r in rows_in(db)} == {"1", "5"}


def test_json_rows_keep_their_lines_and_broken_json_names_its_line() -> None:
    rows = read_json('[\n  {"a": 1},\n\n  {"b": "x\\ny",\n   "c": 2}, {"d": 3}\n]\n')
    assert [line for line, _ in rows] == [2, 4, 5]
    with pytest.raises(FileUnreadable, match="line 3: broken JSON"):
        read_json('[\n {"a": 1},\n {"b": }\n]')
    with pytest.raises(FileUnreadable, match="must be a JSON object"):
        read_json('[1, 2]')
    assert [line for line, _ in read_json('{"a": 1}\n{"a": 2}\n')] == [1, 2]  # JSON lines


def test_an_empty_or_binary_file_is_refused(db: Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(FileUnreadable, match="empty"):
        import_file(db, empty, today=TODAY, now=NOW)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    with pytest.raises(FileUnreadable, match="not UTF-8"):
        import_file(db, binary, today=TODAY, now=NOW)


def test_reimporting_updates_in_place(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "a.json"
    record = {"source": "sne", "external_id": "77", "title": "Cocinero", "employer": "Fonda", "state": "14",
              "how_to_apply": "Ven a la fonda", "documents": ["tvrh", "comar"]}
    first.write_text(json.dumps([record]), encoding="utf-8")
    assert import_file(db, first, today=TODAY, now=NOW).inserted == 1
    second = tmp_path / "b.json"
    second.write_text(json.dumps([{**record, "title": "Cocinero de línea", "documents": ["permanent_resident"]},
                                  {**record, "external_id": "78"}]), encoding="utf-8")
    report = import_file(db, second, today=TODAY, now=NOW + dt.timedelta(hours=1))
    assert (report.inserted, report.updated) == (1, 1)
    with db.transaction() as conn:
        vacancy_id = conn.execute(text("SELECT id FROM vacancies WHERE external_id = '77'")).scalar_one()
        vacancy = get_vacancy(conn, vacancy_id)
        assert vacancy is not None
        assert (vacancy.title, vacancy.documents) == ("Cocinero de línea", ("permanent_resident",))
        created, updated = conn.execute(
            text("SELECT created_at, updated_at FROM vacancies WHERE id = :id"), {"id": vacancy_id}
        ).one()
        assert created != updated  # first seen stays: alerts only announce new offers


def test_the_same_offer_twice_in_one_file_keeps_the_later_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("source,external_id,title,employer,state,how_to_apply\n"
                    "sne,9,Cocinero,Fonda,14,Ven a la fonda\n"
                    "sne,9,Cocinera,Fonda,14,Ven a la fonda\n", encoding="utf-8")
    report = import_file(db, path, today=TODAY, now=NOW)
    assert [str(w) for w in report.warnings] == ["line 3: same source and external_id as line 2; this line wins"]
    assert [r["title"] for r in rows_in(db)] == ["Cocinera"]


def test_export_reads_back_the_same(db: Database, tmp_path: Path) -> None:
    import_file(db, TEMPLATES[1], today=TODAY, now=NOW)
    before = rows_in(db)
    for record in before:
        record["salary_min"] = float(record["salary_min"])  # type: ignore[arg-type]
        record["salary_max"] = float(record["salary_max"])  # type: ignore[arg-type]
    exported = tmp_path / "out.json"
    exported.write_text(json.dumps(before, default=str, ensure_ascii=False), encoding="utf-8")
    with db.transaction() as conn:
        conn.execute(text("DELETE FROM vacancies"))
    import_file(db, exported, today=TODAY, now=NOW)
    after = rows_in(db)
    assert [{**r, "salary_min": float(r["salary_min"]), "salary_max": float(r["salary_max"])} for r in after] == before


def test_csv_reader_skips_blank_lines_and_counts_physical_lines() -> None:
    rows, notes = read_csv('title,state\n"two\nlines",14\n\nthird,19\n')
    assert [(line, row["title"]) for line, row in rows] == [(2, "two\nlines"), (5, "third")]
    assert notes == [w for w in notes if "unknown column 'title'" not in str(w)]


def test_progress_bar_for_large_files_only() -> None:
    small, large = io.StringIO(), io.StringIO()
    bar = Progress(10, "importing a.csv", small)
    bar.advance(10)
    bar.finish()
    assert small.getvalue() == ""
    bar = Progress(5000, "big.csv: storing", large)
    for _ in range(10):
        bar.advance(500)
    bar.finish()
    lines = large.getvalue().splitlines()
    assert lines[0] == "big.csv: storing: 10% (500/5,000)"
    assert lines[-1] == "big.csv: storing: 100% (5,000/5,000)"


def test_a_csv_without_a_required_column_is_refused_once(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "tabs.csv"
    path.write_text("source\texternal_id\ttitle\nsne\t1\tCocinero\n", encoding="utf-8")  # tabs: one column
    with pytest.raises(FileUnreadable, match="line 1: the first line has no column external_id, title, employer"):
        import_file(db, path, today=TODAY, now=NOW)
    assert rows_in(db) == []
