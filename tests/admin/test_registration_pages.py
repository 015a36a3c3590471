"""Registrations in the admin: caseworkers and administrators only; every list, view and export
in the audit log (filters and folios, never a name); nothing cached; the CLI's export file."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App
from bot.registration.export import HEADER
from db.audit import audit_log
from tests.test_registration_export import add, person

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def three(app: App) -> App:
    add(app, "1", person("Wilnor Jean-Baptiste", "07"), NOW - dt.timedelta(days=20))
    add(app, "2", person("<b>Rosa</b> <script>alert(1)</script>", "19", nationality="HN", document="tvrh",
                         trades=["cooking"], sinco=["5"], municipality="Monterrey"), NOW - dt.timedelta(days=10))
    add(app, "3", person("Ana Pérez", "07", trades=[], sinco=[]), NOW - dt.timedelta(days=1))
    return app


def audited(app: App, action: str) -> list[dict[str, object]]:
    with app.db.transaction() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id))
        return [dict(r._mapping) for r in rows]


def names_in(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [n for n in ("Wilnor", "Rosa", "Ana Pérez") if n in body]


def test_caseworker_lists_filters_and_every_list_is_audited(three: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    caseworker = staff_of("caseworker")
    response = caseworker.get("/admin/registrations")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert names_in(response.text) == ["Wilnor", "Rosa", "Ana Pérez"]
    assert "3 registration(s)" in response.text
    assert response.text.index("Ana Pérez") < response.text.index("Wilnor")  # newest change first
    assert names_in(caseworker.get("/admin/registrations?state=07").text) == ["Wilnor", "Ana Pérez"]
    assert names_in(caseworker.get("/admin/registrations?nationality=hn").text) == ["Rosa"]
    assert names_in(caseworker.get("/admin/registrations?document=tvrh").text) == ["Rosa"]
    assert names_in(caseworker.get("/admin/registrations?trade=construction").text) == ["Wilnor"]
    # A name is searched with the posted form only: never in an address (history, proxy logs).
    assert names_in(caseworker.get("/admin/registrations?name=p%C3%A9rez").text) == ["Wilnor", "Rosa", "Ana Pérez"]
    caseworker.get("/admin/registrations")
    searched = caseworker.post("/admin/registrations", {"name": "pérez"})
    assert searched.status_code == 200 and names_in(searched.text) == ["Ana Pérez"]
    assert 'method="get"' not in searched.text
    since = (NOW - dt.timedelta(days=5)).date().isoformat()
    assert names_in(caseworker.get(f"/admin/registrations?since={since}").text) == ["Ana Pérez"]
    entries = audited(three, "registrations.list")
    assert len(entries) == 9 and all(e["actor"] == "caseworker.user" for e in entries)
    by_name = entries[7]["detail"]
    assert by_name["name_searched"] is True and "rez" not in str(by_name)  # type: ignore[index]
    assert entries[1]["detail"]["state"] == "07" and entries[1]["detail"]["shown"] == 2  # type: ignore[index]


@pytest.mark.parametrize(
    ("query", "message"),
    [("since=yesterday", "must be a day written YYYY-MM-DD"), ("until=2026-13-45", "is not a date"),
     ("state=99", "choose a state"), ("nationality=Haiti", "two-letter country code"),
     ("document=passport", "choose a document"), ("trade=<script>", "choose a trade"),
     ("name=" + "x" * 300, "'name' is too long")],
)
def test_bad_filters_get_a_message(three: App, staff_of, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    admin.get("/admin/registrations")
    key, _, value = query.partition("=")
    response = admin.post("/admin/registrations", {key: value})
    if message == "'name' is too long":  # a long name search is cut, not refused
        assert response.status_code == 200
        return
    assert response.status_code == 400 and message in response.text
    assert len(audited(three, "registrations.list")) == 1  # the first, empty list only


def test_a_registration_is_shown_escaped_and_the_view_audited(three: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    listing = admin.get("/admin/registrations?nationality=HN").text
    assert "<script>alert(1)" not in listing and "&lt;b&gt;Rosa&lt;/b&gt;" in listing
    folio = int(listing.split('href="/admin/registrations/')[1].split('"')[0])
    page = admin.get(f"/admin/registrations/{folio}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert "Honduras" in page.text and "Monterrey, Nuevo León" in page.text and "+525512345678" in page.text
    assert "Tarjeta de Visitante por Razones Humanitarias" in page.text
    [entry] = audited(three, "registrations.view")
    assert entry["actor"] == "admin.user" and entry["detail"] == {"registration": folio}
    assert admin.get("/admin/registrations/999999").status_code == 404
    assert len(audited(three, "registrations.view")) == 1


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_other_roles_never_see_a_registration(three: App, staff_of, role: str) -> None:  # type: ignore[no-untyped-def]
    staff = staff_of(role)
    assert 'href="/admin/registrations"' not in staff.get("/admin").text
    for url in ("/admin/registrations", "/admin/registrations/1"):
        response = staff.get(url)
        assert response.status_code == 403 and "Wilnor" not in response.text
    export = staff.post("/admin/registrations/export", {"format": "csv"})
    assert export.status_code == 403 and "folio" not in export.text
    assert audited(three, "registrations.list") == audited(three, "registrations.export") == []


def test_export_csv_is_the_clis_file_and_is_audited(three: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    caseworker = staff_of("caseworker")
    caseworker.get("/admin/registrations")
    response = caseworker.post("/admin/registrations/export", {"format": "csv", "state": "07", "since": "", "until": ""})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="registrations-')
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == HEADER
    assert [r[3] for r in rows[1:]] == ["Wilnor Jean-Baptiste", "Ana Pérez"]
    [entry] = audited(three, "registrations.export")
    detail = entry["detail"]
    assert entry["actor"] == "caseworker.user"
    assert (detail["format"], detail["rows"], detail["state"], detail["since"]) == ("csv", 2, "07", None)  # type: ignore[index]
    assert "Wilnor" not in str(detail)


def test_export_xlsx_and_bad_export_forms(three: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    admin.get("/admin/registrations")
    until = NOW.date().isoformat()
    response = admin.post("/admin/registrations/export", {"format": "xlsx", "until": until})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["registros"]
    assert len(list(sheet.rows)) == 4
    for form, message in (({"format": "pdf"}, "the format is one of csv, xlsx"),
                          ({"format": "csv", "since": "01/11/2026"}, "is not a date"),
                          ({"format": "csv", "state": "Chiapas"}, "choose a state")):
        refused = admin.post("/admin/registrations/export", form)
        assert refused.status_code == 400 and message in refused.text
    assert len(audited(three, "registrations.export")) == 1
