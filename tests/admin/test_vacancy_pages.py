"""Vacancies in the admin: list and search, edit (checked like an import row), close, users'
reports; HTML is shown as text, a stale form or a closed vacancy gets a plain answer."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.app import App
from bot.days import mexico_today
from bot.vacancies.importer import import_rows
from db.audit import audit_log
from db.vacancies.flags import add_flag, flag_summaries
from db.vacancies.store import get_vacancy
from db.vacancies.tables import vacancies

TODAY = mexico_today()


def offer(external_id: str, title: str, state: str = "19", **fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "source": "sne", "external_id": external_id, "title": title, "employer": "Constructora Norte",
        "state": state, "municipality": "Monterrey", "salary_min": 2500, "salary_max": 3000,
        "salary_period": "week", "how_to_apply": "Llama a la obra de 8 a 17 h.",
        "published_on": (TODAY - dt.timedelta(days=2)).isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=20)).isoformat(), "documents": ["tvrh"],
    }
    record.update(fields)
    return record


def stored(app: App, *records: dict[str, object]) -> list[int]:
    report = import_rows(app.db, [(i + 1, r) for i, r in enumerate(records)], today=TODAY,
                         now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    assert not report.errors, report.errors
    with app.db.transaction() as conn:
        ids = dict(conn.execute(select(vacancies.c.external_id, vacancies.c.id)).all())
    return [ids[str(r["external_id"])] for r in records]


def audited(app: App, action: str) -> list[dict[str, object]]:
    with app.db.transaction() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id))
        return [dict(r._mapping) for r in rows]


def form_of(page: str) -> dict[str, str]:
    """The edit form's values as a browser would send them back (text inputs, the version)."""
    import re

    values = dict(re.findall(r'<input type="(?:text|hidden|date)" (?:id="[^"]+" )?name="([a-z_]+)" value="([^"]*)"', page))
    for name in ("description", "requirements", "how_to_apply"):
        found = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', page)
        values[name] = found.group(1) if found else ""
    values["state"] = re.search(r'<select id="f-state".*?<option value="(\d\d)" selected', page, re.S).group(1)  # type: ignore[union-attr]
    values["salary_period"] = "week"
    values.pop("csrf", None)
    return {k: v.replace("&amp;", "&") for k, v in values.items()}


def test_list_search_and_filters(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    stored(app, offer("1", "Ayudante de albañil"), offer("2", "Cocinero", "23", municipality="Cancún"),
           offer("3", "Mesero", "23", expires_on=(TODAY - dt.timedelta(days=1)).isoformat()))
    viewer = staff_of("viewer")
    page = viewer.get("/admin/vacancies").text
    assert "Ayudante de albañil" in page and "Cocinero" in page and "Mesero" not in page  # open ones
    assert "2 vacancies" in page
    found = viewer.get("/admin/vacancies?q=cocin").text
    assert "Cocinero" in found and "albañil" not in found
    assert "Mesero" in viewer.get("/admin/vacancies?status=closed").text
    by_state = viewer.get("/admin/vacancies?state=19&status=all").text
    assert "albañil" in by_state and "Cocinero" not in by_state
    # Odd parameters are ignored, not errors.
    assert viewer.get("/admin/vacancies?page=abc&status=<x>&state=zz&q=%25").status_code == 200
    assert 'href="/admin/vacancies/upload"' not in page  # a viewer cannot upload


def test_edit_saves_checks_and_audits(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    [vacancy_id] = stored(app, offer("1", "Ayudante de albañil"))
    editor = staff_of("editor")
    page = editor.get(f"/admin/vacancies/{vacancy_id}").text
    form = form_of(page)
    assert form["title"] == "Ayudante de albañil" and form["state"] == "19"
    response = editor.post(f"/admin/vacancies/{vacancy_id}", {**form, "title": "Albañil con experiencia",
                                                               "documents": ["tvrh", "comar"]})  # type: ignore[dict-item]
    assert response.status_code == 200 and "The vacancy was saved" in response.text
    with app.db.transaction() as conn:
        vacancy = get_vacancy(conn, vacancy_id)
    assert vacancy is not None
    assert (vacancy.title, vacancy.documents, vacancy.source, vacancy.external_id) == (
        "Albañil con experiencia", ("comar", "tvrh"), "sne", "1")
    [entry] = audited(app, "vacancies.edit")
    assert entry["actor"] == "editor.user" and entry["detail"] == {"vacancy": vacancy_id, "source": "sne", "external_id": "1"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Plain sentences that name the field as the page labels it, never pydantic's words.
        ({"salary_max": "100"}, "“Pay up to (MXN)” is lower than “Pay from (MXN)”."),
        ({"title": "x" * 161}, "“Title”: write at most 160 characters."),
        ({"how_to_apply": ""}, "“How to apply”: fill it in; it is required."),
        ({"expires_on": "2026-02-30"}, "“Open until”: write a date as year-month-day (2026-11-30)"),
        ({"state": "99"}, "“State”: use the INEGI code"),
    ],
    ids=["salary", "long-title", "no-how-to-apply", "bad-date", "bad-state"],
)
def test_a_bad_edit_is_refused_with_the_import_message(app: App, staff_of, change, message) -> None:  # type: ignore[no-untyped-def]
    [vacancy_id] = stored(app, offer("1", "Ayudante de albañil"))
    editor = staff_of("editor")
    form = form_of(editor.get(f"/admin/vacancies/{vacancy_id}").text)
    response = editor.post(f"/admin/vacancies/{vacancy_id}", {**form, **change})
    assert response.status_code == 400
    assert "Nothing was saved" in response.text and message in response.text.replace("&#34;", '"')
    assert "String should" not in response.text and "Input should" not in response.text
    with app.db.transaction() as conn:
        assert get_vacancy(conn, vacancy_id).title == "Ayudante de albañil"  # type: ignore[union-attr]
    assert audited(app, "vacancies.edit") == []


def test_html_in_a_title_is_shown_as_text(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    [vacancy_id] = stored(app, offer("1", "Ayudante de albañil"))
    editor = staff_of("editor")
    form = form_of(editor.get(f"/admin/vacancies/{vacancy_id}").text)
    evil = '<script>alert("x")</script><b>Albañil</b>'
    assert editor.post(f"/admin/vacancies/{vacancy_id}", {**form, "title": evil}).status_code in (200, 303)
    for url in ("/admin/vacancies", f"/admin/vacancies/{vacancy_id}"):
        page = editor.get(url).text
        assert "<script>alert" not in page and "<b>Albañil" not in page
        assert "&lt;script&gt;alert(" in page


def test_a_stale_form_does_not_overwrite_a_newer_change(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    [vacancy_id] = stored(app, offer("1", "Ayudante de albañil"))
    ana, luis = staff_of("editor", "ana"), staff_of("admin", "luis")
    old_form = form_of(ana.get(f"/admin/vacancies/{vacancy_id}").text)
    luis_form = form_of(luis.get(f"/admin/vacancies/{vacancy_id}").text)
    luis.post(f"/admin/vacancies/{vacancy_id}", {**luis_form, "title": "Albañil (Luis)"})
    response = ana.post(f"/admin/vacancies/{vacancy_id}", {**old_form, "title": "Albañil (Ana)"})
    assert response.status_code == 409 and "Someone changed this vacancy" in response.text
    with app.db.transaction() as conn:
        assert get_vacancy(conn, vacancy_id).title == "Albañil (Luis)"  # type: ignore[union-attr]


def test_close_hides_the_offer_and_a_second_close_says_so(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    [vacancy_id] = stored(app, offer("1", "Ayudante de albañil", published_on=TODAY.isoformat()))
    editor = staff_of("editor")
    editor.get(f"/admin/vacancies/{vacancy_id}")
    response = editor.post(f"/admin/vacancies/{vacancy_id}/close")
    assert response.status_code == 200 and "The vacancy is closed" in response.text
    with app.db.transaction() as conn:
        assert get_vacancy(conn, vacancy_id, TODAY) is None  # users no longer find it
        closed = get_vacancy(conn, vacancy_id)
    assert closed is not None and closed.expires_on == TODAY - dt.timedelta(days=1)
    assert closed.published_on <= closed.expires_on  # still a valid row for export and import
    assert "Close the vacancy" not in response.text
    again = editor.post(f"/admin/vacancies/{vacancy_id}/close")
    assert again.status_code == 409 and "already closed" in again.text
    assert editor.post("/admin/vacancies/999999/close").status_code == 404
    assert editor.get("/admin/vacancies/999999").status_code == 404
    assert [e["detail"] for e in audited(app, "vacancies.close")] == [{"vacancy": vacancy_id}]


def test_roles_read_but_only_editors_change(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    [vacancy_id] = stored(app, offer("1", "Ayudante de albañil"))
    caseworker = staff_of("caseworker")
    page = caseworker.get(f"/admin/vacancies/{vacancy_id}").text
    assert "Ayudante de albañil" in page and "Save the vacancy" not in page and "Close the vacancy" not in page
    assert "<fieldset disabled" in page
    refused = caseworker.post(f"/admin/vacancies/{vacancy_id}/close")
    assert refused.status_code == 403
    with app.db.transaction() as conn:
        assert get_vacancy(conn, vacancy_id, TODAY) is not None


def test_users_reports_are_listed_and_marked_reviewed(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    first, second = stored(app, offer("1", "Ayudante de albañil"), offer("2", "Mesero", "23"))
    now = dt.datetime.now(dt.UTC)
    with app.db.transaction() as conn:
        for reason in ("money", "money", "fraud"):
            add_flag(conn, first, None, reason, now)
        add_flag(conn, second, None, "wrong", now)
    viewer = staff_of("viewer")
    listed = viewer.get("/admin/vacancies/flags").text
    assert "Ayudante de albañil" in listed and "Mesero" in listed and "Mark reviewed" not in listed
    assert "3 report(s)" in viewer.get("/admin/vacancies").text
    editor = staff_of("editor")
    editor.get("/admin/vacancies/flags")
    response = editor.post(f"/admin/vacancies/{first}/reviewed")
    assert response.status_code == 200 and "marked reviewed" in response.text
    assert "Ayudante de albañil" not in response.text.split("<tbody>")[1]  # only the pending ones
    assert "Ayudante de albañil" in editor.get("/admin/vacancies/flags?all=1").text
    again = editor.post(f"/admin/vacancies/{first}/reviewed")
    assert again.status_code == 409 and "left to review" in again.text
    with app.db.transaction() as conn:
        assert [f.vacancy_id for f in flag_summaries(conn, pending=True)] == [second]
        add_flag(conn, first, None, "fraud", now)  # a new report is pending again
        assert {f.vacancy_id for f in flag_summaries(conn, pending=True)} == {first, second}
    [entry] = audited(app, "vacancies.reports_reviewed")
    assert entry["detail"] == {"vacancy": first, "reports": 3}
    page = editor.get(f"/admin/vacancies/{first}").text
    assert "4 report(s)" in page and "1 not reviewed yet" in page
