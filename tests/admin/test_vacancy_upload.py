"""Uploading a vacancy file: the CLI's report (errors and warnings by line), size and encoding
limits, and nothing imported from a file that cannot be read."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.settings import PROJECT_ROOT
from bot.web.admin.forms import MAX_UPLOAD
from db.audit import audit_log
from db.vacancies.tables import vacancies

GOOD_AND_BAD = """\
source;external_id;title;employer;state;salary_min;salary_max;salary_period;how_to_apply;documents;colour
sne;1;Albañil;Constructora Norte;Nuevo León;2500;3000;semanal;Llama al número de la obra;tvrh;red
sne;2;Cocinero;Fonda;Narnia;;;;Ven a la fonda;;
sne;3;<script>alert(1)</script>Mesero;Fonda;14;100;150;week;Ven a la fonda;;
"""


def count(app: App) -> int:
    with app.db.transaction() as conn:
        return conn.execute(select(func.count()).select_from(vacancies)).scalar_one()


def upload(staff, content: bytes, name: str = "ofertas.csv", **fields: str):  # type: ignore[no-untyped-def]
    staff.get("/admin/vacancies/upload")
    return staff.client.post("/admin/vacancies/upload", data={"csrf": staff.csrf, **fields},
                             files={"file": (name, content, "text/csv")})


def test_the_report_is_the_clis_and_good_rows_are_imported(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    response = upload(editor, GOOD_AND_BAD.encode())
    assert response.status_code == 200
    page = response.text
    assert "3 row(s): 2 new, 0 updated, 1 with errors (not imported), 2 warning(s)" in page
    assert ("ofertas.csv: error: line 3: state: use the INEGI code 01-32 or the state&#39;s name "
            "(e.g. 19 or Nuevo León)") in page
    assert "ofertas.csv: warning: line 1: unknown column &#39;colour&#39; is ignored" in page
    assert "line 4: the salary is below the 2026 general minimum wage" in page
    assert count(app) == 2
    listing = editor.get("/admin/vacancies").text
    assert "<script>alert(1)" not in listing and "&lt;script&gt;alert(1)&lt;/script&gt;Mesero" in listing
    with app.db.transaction() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.action == "vacancies.import")).one()
    assert entry.actor == "editor.user"
    assert entry.detail == {"file": "ofertas.csv", "rows": 3, "inserted": 2, "updated": 0, "rows_with_errors": 1}
    again = upload(editor, GOOD_AND_BAD.encode())
    assert "3 row(s): 0 new, 2 updated" in again.text and count(app) == 2


def test_the_documented_json_template_and_a_default_source(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("admin")
    template = (PROJECT_ROOT / "docs" / "vacancies-template.json").read_bytes()
    assert "2 new" in upload(editor, template, "plantilla.json").text
    no_source = b"external_id,title,employer,state,how_to_apply\n9,Cocinero,Fonda,14,Ven a la fonda\n"
    page = upload(editor, no_source, source="sne-jalisco").text
    assert "1 row(s): 1 new" in page
    with app.db.transaction() as conn:
        assert conn.execute(select(vacancies.c.source).where(vacancies.c.external_id == "9")).scalar() == "sne-jalisco"


@pytest.mark.parametrize(
    ("data", "name", "status", "message"),
    [
        ("título;estado\nAlbañil;19\n".encode("latin-1"), "ofertas.csv", 400, "not UTF-8 text (byte"),
        (b"name,city,salary\nAna,Monterrey,300\n", "ofertas.csv", 400,
         "the first line has no column external_id, title, employer, state, how_to_apply"),
        (b'[{"title": "x"', "ofertas.json", 400, "broken JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png", 400, "not UTF-8"),
    ],
    ids=["latin-1", "wrong-columns", "broken-json", "binary"],
)
def test_an_unreadable_file_imports_nothing(app: App, staff_of, data, name, status, message) -> None:  # type: ignore[no-untyped-def]
    response = upload(staff_of("editor"), data, name)
    assert response.status_code == status
    assert message in response.text and "nothing was imported" in response.text
    assert count(app) == 0


def test_oversized_empty_and_ordinary_posts_are_refused(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    huge = b"source,external_id,title,employer,state,how_to_apply\n" + b"x" * (MAX_UPLOAD + 1024)
    response = upload(editor, huge)
    assert response.status_code == 413 and "the file is too large (at most 2 MB)" in response.text
    empty = upload(editor, b"")
    assert empty.status_code == 400 and "choose a file" in empty.text
    plain = editor.post("/admin/vacancies/upload", {"source": "sne"})
    assert plain.status_code == 415 and "this form sends a file" in plain.text
    two = editor.client.post("/admin/vacancies/upload", data={"csrf": editor.csrf},
                             files=[("file", ("a.csv", b"a", "text/csv")), ("other", ("b.csv", b"b", "text/csv"))])
    assert two.status_code == 400 and "malformed or has too many parts" in two.text
    assert count(app) == 0


def test_an_upload_needs_the_csrf_token_and_the_editing_role(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    forged = editor.client.post("/admin/vacancies/upload", data={"csrf": "forged"},
                                files={"file": ("a.csv", GOOD_AND_BAD.encode(), "text/csv")})
    assert forged.status_code == 403 and "This form has expired" in forged.text
    viewer = staff_of("viewer")
    refused = upload(viewer, GOOD_AND_BAD.encode())
    assert refused.status_code == 403 and "Your role does not allow this page" in refused.text
    assert count(app) == 0


def test_a_real_excel_workbook_is_imported_not_refused_as_not_utf8(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    from tests.vacancies.test_spreadsheets import workbook

    data = workbook([["sne", 77, "Cocinero", "Fonda La Paz", "Jalisco", "tvrh", 2500, 3000, "semana",
                      "Ven a la fonda de 9 a 13 h", None]])
    editor = staff_of("editor")
    editor.get("/admin/vacancies/upload")
    response = editor.client.post(
        "/admin/vacancies/upload", data={"csrf": editor.csrf},
        files={"file": ("ofertas.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert response.status_code == 200 and "not UTF-8" not in response.text
    assert "1 row(s): 1 new, 0 updated, 0 with errors (not imported)" in response.text
    assert count(app) == 1
    spanish = staff_of("admin", language=None)
    page = upload(spanish, "título;estado\nAlbañil;19\n".encode("latin-1"))
    assert page.status_code == 400 and "no es texto UTF-8" in page.text and "no se importó nada" in page.text


def test_a_semicolon_file_with_semicolon_documents_imports_every_column(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    from db.vacancies.store import iter_vacancies

    text = ("source;external_id;title;employer;state;documents;salary_min;salary_max;salary_period;how_to_apply\n"
            "sne;5;Cocinero;Fonda La Paz;14;tvrh;permanent_resident;2500;3000;semana;Ven a la fonda\n")
    page = upload(staff_of("editor"), text.encode())
    assert "1 row(s): 1 new" in page.text and "extra cells" not in page.text
    with app.db.transaction() as conn:
        [vacancy] = list(iter_vacancies(conn))
    assert vacancy.documents == ("permanent_resident", "tvrh") and str(vacancy.salary_max) == "3000.00"
