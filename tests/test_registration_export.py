"""`puente registrations export`: documented columns, contents in CSV and XLSX, filters, audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.app import App
from bot.commands.registrations import moment
from bot.registration.export import AUDIT_ACTION, HEADER, ExportFilter, export
from bot.settings import PROJECT_ROOT
from db import audit
from db import contacts as contact_store
from db import registrations as registration_store
from tests.support.commands import puente
from tests.support.databases import sqlite_template

NOV = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def person(name: str, state: str, **changes: object) -> registration_store.Registration:
    values: dict[str, object] = dict(
        full_name=name, birth_date=dt.date(1990, 4, 27), nationality="HT", document="comar",
        curp=None, phone="+525512345678", state=state, municipality="Tapachula", education="primary",
        trades=["construction", "painting"], sinco=["712", "7"], occupation_text="albañil y pintor",
        experience_years=5, languages=["ht", "fr", "es"], willing_to_relocate=True, chat_language="ht",
        consent_version="2026-11-1", consent_at=NOV + dt.timedelta(days=2, hours=3),
    )
    values.update(changes)
    return registration_store.Registration(**values)  # type: ignore[arg-type]


def add(app: App, key: str, data: registration_store.Registration, at: dt.datetime) -> None:
    with app.db.transaction() as conn:
        contact = contact_store.find_or_create_contact(conn, "telegram", key, at)
        registration_store.save(conn, contact.id, data, at)


@pytest.fixture
def three(app: App) -> App:
    add(app, "1", person("Wilnor Jean-Baptiste", "07", curp="BEML920313HMCLNS09"), NOV + dt.timedelta(days=2))
    add(app, "2", person("=HYPERLINK(\"http://x\")", "19", municipality="Monterrey",
                         occupation_text="@SUM(1+1)", trades=[], sinco=[], willing_to_relocate=False,
                         nationality="HN", document="tvrh", education="bachelor", chat_language="es",
                         languages=["es"]), NOV + dt.timedelta(days=10))
    add(app, "3", person("Ana Pérez", "07"), NOV + dt.timedelta(days=20))
    return app


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads the accents right
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_columns_and_contents(three: App, tmp_path: Path) -> None:
    path = tmp_path / "sne.csv"
    assert export(three.db, path, "csv", ExportFilter(), actor="cli:ana") == 3
    header, first, second, third = read_csv(path)
    assert tuple(header) == HEADER
    row = dict(zip(header, first, strict=True))
    assert row == {
        "folio": "1",
        "fecha_registro": "2026-11-03T00:00:00Z",
        "fecha_actualizacion": "2026-11-03T00:00:00Z",
        "nombre_completo": "Wilnor Jean-Baptiste",
        "fecha_nacimiento": "1990-04-27",
        "nacionalidad": "Haití",
        "nacionalidad_iso": "HT",
        "documento_migratorio": "Constancia de trámite de la COMAR",
        "curp": "BEML920313HMCLNS09",
        "telefono": "+525512345678",
        "entidad_clave": "07",
        "entidad": "Chiapas",
        "municipio": "Tapachula",
        "escolaridad": "Primaria",
        "ocupaciones": "Albañil; Pintor",
        "sinco": "712; 7",
        "ocupacion_texto": "albañil y pintor",
        "experiencia_anios": "5",
        "idiomas": "criollo haitiano; francés; español",
        "disponible_cambiar_estado": "Sí",
        "idioma_contacto": "criollo haitiano",
        "aviso_privacidad_version": "2026-11-1",
        "aviso_privacidad_aceptado": "2026-11-03T03:00:00Z",
    }
    other = dict(zip(header, second, strict=True))
    # What a person typed can never run as a spreadsheet formula.
    assert other["nombre_completo"] == "'=HYPERLINK(\"http://x\")"
    assert other["ocupacion_texto"] == "'@SUM(1+1)"
    assert (other["curp"], other["ocupaciones"], other["sinco"]) == ("", "", "")
    assert (other["escolaridad"], other["documento_migratorio"]) == (
        "Licenciatura", "Tarjeta de Visitante por Razones Humanitarias")
    assert other["disponible_cambiar_estado"] == "No"
    assert third[3] == "Ana Pérez"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # personal data: readable by its owner only


def test_xlsx_columns_types_and_contents(three: App, tmp_path: Path) -> None:
    path = tmp_path / "sne.xlsx"
    assert export(three.db, path, "xlsx", ExportFilter(state="07"), actor="cli:ana") == 2
    sheet = load_workbook(path)["registros"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert sheet.freeze_panes == "A2"
    first = dict(zip(HEADER, rows[1], strict=True))
    assert first["fecha_nacimiento"] == dt.datetime(1990, 4, 27)  # a real date cell
    assert first["fecha_registro"] == dt.datetime(2026, 11, 3)
    assert first["experiencia_anios"] == 5
    assert (first["nombre_completo"], first["entidad"], first["telefono"]) == (
        "Wilnor Jean-Baptiste", "Chiapas", "+525512345678")
    assert [r[3] for r in rows[1:]] == ["Wilnor Jean-Baptiste", "Ana Pérez"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_filters_by_date_and_state(three: App, tmp_path: Path) -> None:
    def names(where: ExportFilter) -> list[str]:
        path = tmp_path / "f.csv"
        export(three.db, path, "csv", where, actor="cli:ana")
        return [row[3] for row in read_csv(path)[1:]]

    assert names(ExportFilter(since=moment("2026-11-10"))) == ["'=HYPERLINK(\"http://x\")", "Ana Pérez"]
    assert names(ExportFilter(until=moment("2026-11-11", end_of_day=True))) == [
        "Wilnor Jean-Baptiste", "'=HYPERLINK(\"http://x\")"]
    # A day is Mexico City's, and --until includes the whole of it: the second registration is at
    # 2026-11-11 00:00 UTC, 18:00 on the 10th there.
    assert names(ExportFilter(until=moment("2026-11-10", end_of_day=True))) == [
        "Wilnor Jean-Baptiste", "'=HYPERLINK(\"http://x\")"]
    assert names(ExportFilter(until=moment("2026-11-09", end_of_day=True))) == ["Wilnor Jean-Baptiste"]
    assert names(ExportFilter(since=moment("2026-11-11"))) == ["Ana Pérez"]
    assert names(ExportFilter(until=moment("2026-11-11T00:00:00+00:00"))) == ["Wilnor Jean-Baptiste"]
    assert names(ExportFilter(state="07", since=moment("2026-11-05"))) == ["Ana Pérez"]
    assert names(ExportFilter(state="32")) == []


def test_a_changed_registration_is_exported_again(three: App, tmp_path: Path) -> None:
    add(three, "1", person("Wilnor Jean-Baptiste", "07", phone="+529621234567"), NOV + dt.timedelta(days=25))
    path = tmp_path / "changed.csv"
    export(three.db, path, "csv", ExportFilter(since=moment("2026-11-22")), actor="cli:ana")
    (header, row) = read_csv(path)
    found = dict(zip(header, row, strict=True))
    assert (found["folio"], found["telefono"]) == ("1", "+529621234567")
    assert (found["fecha_registro"], found["fecha_actualizacion"]) == ("2026-11-03T00:00:00Z", "2026-11-26T00:00:00Z")


def test_every_export_is_in_the_audit_log_without_personal_data(three: App, tmp_path: Path) -> None:
    at = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
    export(three.db, tmp_path / "a.csv", "csv", ExportFilter(state="07", since=moment("2026-11-01")),
           actor="cli:ana", now=at)
    export(three.db, tmp_path / "b.xlsx", "xlsx", ExportFilter(), actor="cli:luis", now=at)
    with three.db.transaction() as conn:
        entries = list(reversed(audit.entries(conn)))
    assert [(e["actor"], e["action"]) for e in entries] == [("cli:ana", AUDIT_ACTION), ("cli:luis", AUDIT_ACTION)]
    assert entries[0]["detail"] == {
        "format": "csv", "rows": 2, "file": "a.csv", "since": "2026-11-01T06:00:00+00:00", "until": None,
        "state": "07",
    }
    assert entries[1]["detail"]["rows"] == 3
    assert entries[0]["at"].replace(tzinfo=dt.UTC) == at
    detail = json.dumps([e["detail"] for e in entries], ensure_ascii=False)
    for personal in ("Wilnor", "Ana Pérez", "+5255", "BEML", "Tapachula"):
        assert personal not in detail


def test_the_command_as_staff_run_it(tmp_path: Path) -> None:
    database = f"sqlite:///{sqlite_template(tmp_path)}"
    done = puente("registrations", "export", "--state", "chiapas", "--since", "2026-11-01",
                  "--until", "2026-11-30", "-o", "out/sne.xlsx", cwd=tmp_path, env={"DATABASE_URL": database})
    assert done.returncode == 0, done.stderr
    assert "wrote 0 registration(s) to out/sne.xlsx" in done.stdout
    assert load_workbook(tmp_path / "out" / "sne.xlsx")["registros"].max_row == 1


def test_the_command_explains_mistakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{sqlite_template(tmp_path)}")
    assert main(["registrations", "export"]) == 0
    assert re.search(r"exports/registrations-\d{8}-\d{6}\.csv", capsys.readouterr().out)
    assert main(["registrations", "export", "--state", "Narnia"]) == 2
    assert "not one of the 32 states" in capsys.readouterr().err
    assert main(["registrations", "export", "--since", "1/11/2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["registrations", "export", "-o", "sne.ods"]) == 2
    assert ".csv or .xlsx" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/new.db")
    assert main(["registrations", "export"]) == 1
    assert "puente db upgrade" in capsys.readouterr().err


def test_the_documented_column_order_is_the_real_one() -> None:
    page = (PROJECT_ROOT / "docs" / "registrations-export.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\|\s*\d+\s*\|\s*`([a-z_]+)`", page, flags=re.MULTILINE)
    assert tuple(documented) == HEADER
