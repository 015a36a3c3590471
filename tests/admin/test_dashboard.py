"""The dashboard: aggregates drawn as SVG; groups under 5 people are never shown."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import insert

from bot.app import App
from bot.days import mexico_day, mexico_midnight
from bot.web.admin import charts
from bot.web.admin.panels import PANELS
from db.counters import bump
from db.tables import contacts


def people(app: App, language: str | None, count: int, when: dt.datetime) -> None:
    with app.db.transaction() as conn:
        for _ in range(count):
            conn.execute(insert(contacts).values(language=language, created_at=when, opted_out=False))


def test_small_groups_are_suppressed_and_said_to_be(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC)
    people(app, "fr", 7, now)
    people(app, "ht", 3, now)  # fewer than 5: must not appear
    people(app, "pt", 6, now - dt.timedelta(days=1))
    with app.db.transaction() as conn:
        bump(conn, mexico_day(now), Counter({("read", "privacy.summary"): 9, ("read", "main.menu"): 2,
                                        ("fallback", "ht:system.help"): 6, ("fallback", "pt:system.help"): 1}))
    page = staff_of("caseworker").get("/admin").text
    languages = page.split('id="panel-contacts_language"')[1].split("</section>")[0]
    assert "Français" in languages and ">7<" in languages
    assert "Kreyòl" not in languages and ">3<" not in languages
    assert "1 group(s) with fewer than 5 people are hidden" in languages
    assert "<svg" in languages
    topics = page.split('id="panel-topics"')[1].split("</section>")[0]
    assert "Mis datos y privacidad › summary" in topics and "main.menu" not in topics and "menu" not in topics.split("hidden")[0].split("</svg>")[1]
    fallbacks = page.split('id="panel-fallbacks"')[1].split("</section>")[0]
    assert "Kreyòl Ayisyen" in fallbacks and "Português" not in fallbacks
    over_time = page.split('id="panel-contacts_time"')[1].split("</section>")[0]
    assert f"{mexico_day(now).isoformat()}: 10 people" in over_time  # 7 + 3 the same day: a cell of 10
    assert f"{mexico_day(now - dt.timedelta(days=1)).isoformat()}: 6 people" in over_time


def test_an_empty_dashboard_says_there_is_not_enough_data(staff_of) -> None:  # type: ignore[no-untyped-def]
    page = staff_of("viewer").get("/admin?days=90").text
    assert page.count("Not enough data yet") == len([p for p in PANELS if p.people])
    assert "Nothing to show yet" in page.split('id="panel-vacancies_state"')[1]
    assert "New people per week" in page


def test_suppression_keeps_only_groups_of_five_or_more() -> None:
    series = charts.suppress([("a", 5), ("b", 4), ("c", 1), ("d", 0), ("e", 50)])
    assert series.rows == [("a", 5), ("e", 50)] and series.hidden == 2


def test_labels_are_escaped_inside_the_svg() -> None:
    svg = charts.bars(charts.Series([("<script>x</script>", 9)]), "t", "people")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_registration_panels_count_people_and_hide_small_groups(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    from tests.admin.test_vacancy_pages import offer, stored
    from tests.test_registration_export import add, person

    # Everyone on one day (the chart counts per Mexico City day) whatever the hour the test runs:
    # up to five hours before 06:00 today there, or before 23:00 yesterday in a day's first hours.
    now = dt.datetime.now(dt.UTC)
    today = mexico_midnight(mexico_day(now))
    moment = today + dt.timedelta(hours=6) if now >= today + dt.timedelta(hours=6) else today - dt.timedelta(hours=1)
    for i in range(6):
        add(app, f"ht{i}", person(f"Persona {i}", "07", languages=["ht", "fr"]), moment - dt.timedelta(hours=i))
    for i in range(2):  # two Hondurans in Nuevo León: too few to show
        add(app, f"hn{i}", person(f"Otra {i}", "19", nationality="HN", document="tvrh", trades=[], sinco=[],
                                  languages=["es"]), moment)
    stored(app, offer("1", "Albañil", "19"), offer("2", "Cocinero", "23"))
    page = staff_of("viewer").get("/admin").text

    def panel(key: str) -> str:
        return page.split(f'id="panel-{key}"')[1].split("</section>")[0]

    nationality = panel("registrations_nationality")
    assert "Haití" in nationality and ">6<" in nationality and "Honduras" not in nationality
    assert "1 group(s) with fewer than 5 people are hidden" in nationality
    assert "Chiapas" in panel("registrations_state") and "Nuevo León" not in panel("registrations_state")
    trades = panel("registrations_trade")
    assert ">6<" in trades and "No trade recognised" not in trades  # 2 without a trade: hidden
    assert "Constancia de trámite de la COMAR" in panel("registrations_document")
    languages = panel("registrations_language")
    assert "criollo haitiano" in languages.lower() or "haitiano" in languages.lower()
    assert f"{mexico_day(moment).isoformat()}: 8 people" in panel("registrations_time")
    vacancies = panel("vacancies_state")  # offers, not people: one per state is shown
    assert "Nuevo León" in vacancies and "Quintana Roo" in vacancies and "are hidden" not in vacancies
    assert "Persona" not in page and "Otra" not in page  # never a person
