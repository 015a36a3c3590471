"""The registrations filter is kept for the session: posted, then answered with a redirect to an
address without the name (post, redirect, get), so a registration and the way back show the same
list and the browser never resends a form; the audit log still never holds a name."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.app import App
from db.admin import staff_sessions
from tests.admin.test_registration_pages import audited, names_in, three  # noqa: F401 - fixture

NOW = dt.datetime.now(dt.UTC)


def test_the_filter_is_posted_redirected_and_kept_across_records(three: App, staff_of) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    caseworker = staff_of("caseworker")
    caseworker.get("/admin/registrations")
    caseworker.client.follow_redirects = False
    posted = caseworker.post("/admin/registrations", {"name": "pérez", "state": "07"})
    assert posted.status_code == 303 and posted.headers["location"] == "/admin/registrations"
    caseworker.client.follow_redirects = True
    listing = caseworker.get("/admin/registrations").text
    assert names_in(listing) == ["Ana Pérez"] and 'value="pérez"' in listing
    folio = int(listing.split('href="/admin/registrations/')[1].split('"')[0])
    assert caseworker.get(f"/admin/registrations/{folio}").status_code == 200
    again = caseworker.get("/admin/registrations").text  # back from the record
    assert names_in(again) == ["Ana Pérez"]
    shown = caseworker.post("/admin/registrations", {"op": "clear"})
    assert names_in(shown.text) == ["Wilnor", "Rosa", "Ana Pérez"]
    lists = audited(three, "registrations.list")
    assert [e["detail"]["name_searched"] for e in lists] == [False, True, True, False]  # type: ignore[index]
    assert "rez" not in str([e["detail"] for e in lists])


def test_the_kept_filter_belongs_to_the_session_and_goes_with_it(three: App, staff_of) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    first = staff_of("caseworker")
    first.get("/admin/registrations")
    first.post("/admin/registrations", {"name": "wilnor"})
    second = staff_of("caseworker")  # the same person on another device: a session of its own
    assert names_in(second.get("/admin/registrations").text) == ["Wilnor", "Rosa", "Ana Pérez"]
    assert names_in(first.get("/admin/registrations").text) == ["Wilnor"]
    with three.db.transaction() as conn:
        kept = [row for row in conn.execute(select(staff_sessions.c.filters)).scalars() if row]
    assert kept == [{"registrations": {"name": "wilnor"}}]
    first.post("/admin/logout")
    with three.db.transaction() as conn:
        assert [row for row in conn.execute(select(staff_sessions.c.filters)).scalars() if row] == []


def test_a_bookmarked_address_lists_with_its_filters_and_pages_are_links(three: App, staff_of) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    admin = staff_of("admin")
    admin.get("/admin/registrations")
    admin.post("/admin/registrations", {"name": "wilnor"})
    assert names_in(admin.get("/admin/registrations?state=07").text) == ["Wilnor", "Ana Pérez"]  # the address wins
    assert names_in(admin.get("/admin/registrations?page=1").text) == ["Wilnor"]  # a page: the kept filter
    refused = admin.post("/admin/registrations", {"since": "ayer"})
    assert refused.status_code == 400 and "must be a day written YYYY-MM-DD" in refused.text
    assert names_in(admin.get("/admin/registrations").text) == ["Wilnor"]  # a refused filter is not kept
