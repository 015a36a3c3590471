"""The network's figures per organization: people referred, registrations, handoffs and their
answers, outcomes and ratings, for a period; a count of 4 people is hidden and one of 5 shown,
on the page and in the CSV, which is audited and names nobody."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from html import unescape

import pytest
from sqlalchemy import update

from bot.app import App
from db import audit, counters
from db import contacts as contact_store
from db import handoffs as handoff_store
from db import organizations
from db import registrations as registration_store
from db.tables import contacts
from tests.test_registration_export import person

NOW = dt.datetime(2026, 12, 15, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
_keys = iter(range(10_000))


@pytest.fixture
def network(app: App, admin_site) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Two organizations and what happened around them; the admin's clock at NOW."""
    admin_site.clock = lambda: NOW
    with app.db.transaction() as conn:
        ids = {code: organizations.add(conn, code, name, "shelter", NOW) for code, name in
               (("casa", "Casa Tochan"), ("belen", "Albergue Belén"))}
    arrive(app, "casa", 5, NOW - dt.timedelta(days=1), register=True)
    arrive(app, "casa", 6, NOW - dt.timedelta(days=40))  # in the last 90 days, not the last 30
    arrive(app, "belen", 4, NOW - dt.timedelta(days=2))
    arrive(app, None, 3, NOW - dt.timedelta(days=3))
    arrive(app, "a-code-of-no-organization", 2, NOW - dt.timedelta(days=3))
    count(app, TODAY - dt.timedelta(days=1), {
        ("handoff", "casa:opened"): 7, ("handoff", "casa:answered"): 5, ("handoff", "casa:closed:answered"): 5,
        ("handoff", "casa:closed:no_reply"): 2, ("handoff_rating", "casa:yes"): 5, ("handoff_rating", "casa:no"): 1,
        ("handoff", "belen:opened"): 4, ("handoff", "none:opened"): 4,
    })
    count(app, TODAY - dt.timedelta(days=40), {("handoff", "casa:opened"): 3})
    opened = NOW - dt.timedelta(hours=5)
    for minutes in (10, 20, 30, 40, 50):
        add_handoff(app.db, 1, ids["casa"], opened, opened + dt.timedelta(minutes=minutes))
    add_handoff(app.db, 1, ids["casa"], opened)  # not answered yet: not in the median
    for minutes in (5, 5, 5, 5):
        add_handoff(app.db, 1, ids["belen"], opened, opened + dt.timedelta(minutes=minutes))
    return ids


def add_handoff(db, contact_id: int, organization_id: int | None, opened: dt.datetime,  # type: ignore[no-untyped-def]
                first_answer: dt.datetime | None = None) -> None:
    with db.transaction() as conn:
        handoff_id = handoff_store.insert_handoff(conn, contact_id, organization_id, "telegram", "es", None, opened)
        if first_answer is not None:
            handoff_store.change(conn, handoff_id, first_answer_at=first_answer)


def arrive(app: App, code: str | None, people: int, when: dt.datetime, register: bool = False) -> None:
    for _ in range(people):
        key = f"person-{next(_keys)}"
        with app.db.transaction() as conn:
            contact = contact_store.find_or_create_contact(conn, "telegram", key, when)
            conn.execute(update(contacts).where(contacts.c.id == contact.id).values(referral=code))
            if register:
                registration_store.save(conn, contact.id, person(f"Persona {key}", "07"), when)


def count(app: App, day: dt.date, events: dict[tuple[str, str], int]) -> None:
    with app.db.transaction() as conn:
        counters.bump(conn, day, Counter(events))


def cells(page: str, name: str) -> list[str]:
    """The cells of an organization's row, as a reader sees them."""
    row = next(r for r in page.split("<tr>") if f'<th scope="row">{name}' in r.replace("\n", ""))
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in row.split("</tr>")[0].split("<td>")[1:]]


# referred, registrations, opened, answered, median, answered, referred, registered, no reply, yes, no
def test_each_organization_gets_its_figures_and_small_counts_are_hidden(network: dict[str, int], staff_of) -> None:  # type: ignore[no-untyped-def]
    page = staff_of("viewer").get("/admin/network").text
    assert cells(page, "Casa Tochan") == ["5", "5", "7", "5", "30.0 min", "5", "0", "0", "<5", "5", "<5"]
    # Four of everything: hidden, the median of four answers too.
    assert cells(page, "Albergue Belén") == ["<5", "0", "<5", "0", "<5", "0", "0", "0", "0", "0", "0"]
    # No code, or a code no organization has: 3 + 2 people; 4 handoffs.
    assert cells(page, "No organization") == ["5", "0", "<5", "0", "—", "0", "0", "0", "0", "0", "0"]
    assert "Persona" not in page


def test_a_longer_period_and_a_calendar_month(network: dict[str, int], staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer")
    ninety = viewer.get("/admin/network?period=90").text
    assert cells(ninety, "Casa Tochan")[:3] == ["11", "5", "10"]
    november = viewer.get("/admin/network?period=2026-11").text
    assert "From 2026-11-01 to 2026-11-30." in november
    assert cells(november, "Casa Tochan")[:4] == ["6", "0", "<5", "0"]
    # Anything else is the last 30 days.
    assert "From 2026-11-16 to 2026-12-15." in viewer.get("/admin/network?period=2019-01").text


def test_the_csv_has_the_same_aggregates_is_audited_and_names_nobody(app: App, network: dict[str, int], staff_of) -> None:  # type: ignore[no-untyped-def]
    response = staff_of("caseworker").get("/admin/network.csv?period=30")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="puente-network-20261116-20261215.csv"' in response.headers["content-disposition"]
    body = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    casa = next(r for r in rows if r["organization_code"] == "casa")
    assert (casa["people_referred"], casa["registrations"], casa["handoffs_opened"], casa["handoffs_answered"],
            casa["median_minutes_to_first_answer"], casa["closed_no_reply"], casa["helped_yes"],
            casa["helped_no"]) == ("5", "5", "7", "5", "30.0", "<5", "5", "<5")
    belen = next(r for r in rows if r["organization_code"] == "belen")
    assert (belen["people_referred"], belen["median_minutes_to_first_answer"]) == ("<5", "<5")
    assert [r["organization_code"] for r in rows] == ["belen", "casa", "none"]
    assert "Persona" not in body and "+52" not in body
    with app.db.transaction() as conn:
        entry = audit.entries(conn)[0]
    assert entry["action"] == "network.export" and entry["actor"] == "caseworker.user"
    assert entry["detail"] == {"period": "30", "since": "2026-11-16", "until": "2026-12-15", "rows": 3}


def test_every_role_sees_the_figures_and_an_empty_network_shows_zeros(app: App, admin_site, staff_of) -> None:  # type: ignore[no-untyped-def]
    for role in ("admin", "editor", "caseworker", "viewer"):
        page = staff_of(role).get("/admin/network")
        assert page.status_code == 200 and 'href="/admin/network"' in page.text
    assert cells(page.text, "No organization") == ["0", "0", "0", "0", "—", "0", "0", "0", "0", "0", "0"]


def test_a_long_wait_reads_in_hours(app: App, admin_site, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin_site.clock = lambda: NOW
    with app.db.transaction() as conn:
        casa = organizations.add(conn, "casa", "Casa Tochan", "shelter", NOW)
    arrive(app, "casa", 1, NOW - dt.timedelta(days=2))
    opened = NOW - dt.timedelta(days=1)
    for hours in (1, 2, 3, 4, 26):
        add_handoff(app.db, 1, casa, opened, opened + dt.timedelta(hours=hours))
    assert cells(staff_of("viewer").get("/admin/network").text, "Casa Tochan")[4] == "3.0 h"
