"""The needs analysis: per state and trade (or SINCO division), people registered beside the
vacancies; 4 people are never shown, 5 are; the page cites the IOM survey; the CSV is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest

from bot.app import App
from bot.vacancies.importer import import_rows
from db import audit
from tests.test_registration_export import add, person

NOW = dt.datetime(2026, 12, 15, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def offer(external_id: str, title: str, state: str, **fields: object) -> dict[str, object]:
    return {"source": "sne", "external_id": external_id, "title": title, "employer": "Empresa", "state": state,
            "municipality": "Centro", "how_to_apply": "Llama de 8 a 17 h.",
            "published_on": (TODAY - dt.timedelta(days=5)).isoformat(),
            "expires_on": (TODAY + dt.timedelta(days=20)).isoformat(), **fields}


@pytest.fixture
def needs_data(app: App, admin_site) -> App:  # type: ignore[no-untyped-def]
    admin_site.clock = lambda: NOW
    registered = [
        ("07", ["construction"], ["712"], 5),    # Chiapas, builders: 5, and a vacancy for them
        ("19", ["cooking"], ["5"], 4),           # Nuevo León, cooks: 4, and a vacancy
        ("19", ["agriculture"], ["6"], 6),       # Nuevo León, farm workers: 6, no vacancy
        ("23", ["cleaning"], ["9"], 3),          # Quintana Roo, cleaners: 3, no vacancy: hidden
    ]
    n = 0
    for state, trades, sinco, people in registered:
        for _ in range(people):
            n += 1
            add(app, f"p{n}", person(f"Persona {n}", state, trades=trades, sinco=sinco), NOW - dt.timedelta(days=2))
    report = import_rows(app.db, [(1, offer("1", "Albañil", "07")), (2, offer("2", "Cocinero", "19")),
                                  (3, offer("3", "Ayudante de cocina", "19")),
                                  (4, offer("4", "Puesto general", "07", sinco="3")),
                                  (5, offer("5", "Albañil", "07", expires_on=(TODAY - dt.timedelta(days=60)).isoformat(),
                                            published_on=(TODAY - dt.timedelta(days=90)).isoformat()))],
                         today=TODAY - dt.timedelta(days=90), now=NOW)
    assert not report.errors, report.errors
    return app


def rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [[" ".join(unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in re.split(r"<td[^>]*>", r)[1:]]
            for r in body.split("<tr>")[1:]]


def test_skills_and_jobs_per_state_and_division_with_small_groups_hidden(needs_data: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    page = staff_of("viewer").get("/admin/needs").text
    assert rows(page) == [
        ["Chiapas", "7 · Trabajadores artesanales, en la construcción y otros oficios", "5", "1", "skills and jobs meet"],
        ["Chiapas", "3 · Trabajadores auxiliares en actividades administrativas", "<5", "1",
         "jobs, few or no people registered"],
        ["Nuevo León", "6 · Trabajadores en actividades agrícolas, ganaderas, forestales, caza y pesca", "6", "0",
         "people registered, no vacancy"],
        ["Nuevo León", "5 · Trabajadores en servicios personales y de vigilancia", "<5", "2",
         "jobs, few or no people registered"],
    ]
    assert "1 state and trade group(s) with fewer than 5 people and no vacancy are not shown." in page
    assert "Quintana Roo" not in page.split("<tbody>")[1] and "Persona" not in page
    # Why the page exists: the IOM survey behind the initiative.
    assert "68% had come to look for work" in page and "8 in 10 had worked before leaving" in page


def test_by_trade_and_for_one_state(needs_data: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer")
    by_trade = rows(viewer.get("/admin/needs?by=trade").text)
    assert ["Chiapas", "Albañil", "5", "1", "skills and jobs meet"] in by_trade
    assert ["Nuevo León", "Cocinero", "<5", "2", "jobs, few or no people registered"] in by_trade
    # An offer no trade name classifies still counts, as "trade not recognised".
    assert ["Chiapas", "trade not recognised", "<5", "1", "jobs, few or no people registered"] in by_trade
    chiapas = rows(viewer.get("/admin/needs?by=trade&state=07").text)
    assert {row[0] for row in chiapas} == {"Chiapas"}
    # An unknown grouping or state is ignored, never an error.
    assert viewer.get("/admin/needs?by=rubbish&state=99").status_code == 200


def test_the_csv_is_the_same_table_audited(needs_data: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    response = staff_of("caseworker").get("/admin/needs.csv?period=30&by=division")
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    assert [(r["state"], r["group_code"], r["people_registered"], r["vacancies_open"], r["status"]) for r in table] == [
        ("Chiapas", "7", "5", "1", "meet"), ("Chiapas", "3", "<5", "1", "jobs_only"),
        ("Nuevo León", "6", "6", "0", "people_only"), ("Nuevo León", "5", "<5", "2", "jobs_only")]
    assert "Persona" not in body
    with needs_data.db.transaction() as conn:
        entry = audit.entries(conn)[0]
    assert entry["action"] == "needs.export" and entry["detail"] == {
        "period": "30", "since": "2026-11-16", "until": "2026-12-15", "by": "division", "state": None, "rows": 4}


def test_five_people_are_shown_four_are_not(app: App, admin_site, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin_site.clock = lambda: NOW
    for n in range(4):
        add(app, f"q{n}", person(f"Persona {n}", "14", trades=["driver"], sinco=["8"]), NOW - dt.timedelta(days=1))
    viewer = staff_of("viewer")
    first = viewer.get("/admin/needs").text
    assert rows(first) == [["Nothing to show for this period yet without risk of identifying someone."]]
    assert "1 state and trade group(s) with fewer than 5 people and no vacancy are not shown." in first
    add(app, "q4", person("Persona 4", "14", trades=["driver"], sinco=["8"]), NOW - dt.timedelta(days=1))
    assert ["Jalisco", "8 · Operadores de maquinaria industrial, ensambladores, choferes y conductores de transporte",
            "5", "0", "people registered, no vacancy"] in rows(viewer.get("/admin/needs").text)
