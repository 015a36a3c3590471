"""The sample vacancies `puente start` loads into an empty database."""

from __future__ import annotations

import datetime as dt
import re
import io
import json

from bot.days import mexico_today
from bot.vacancies.sample import SAMPLE_FILE, load_sample_if_empty
from db.database import Database
from db.vacancies.store import iter_vacancies
from tests.vacancies.fixtures import offer, store
from tools.make_sample_vacancies import generate


def test_loaded_once_into_an_empty_database_with_dates_moved_to_today(db: Database) -> None:
    out = io.StringIO()
    assert load_sample_if_empty(db, out) == 320
    assert "Loaded 320 sample vacancies (fictional, marked as sample data)" in out.getvalue()
    assert load_sample_if_empty(db, out) == 0
    with db.transaction() as conn:
        offers = list(iter_vacancies(conn))
    assert max(v.published_on for v in offers) == mexico_today()
    assert all(v.expires_on > mexico_today() for v in offers)
    assert all(v.source == "sample" and v.note and "MUESTRA" in v.note for v in offers)


def test_not_loaded_when_real_offers_exist(db: Database) -> None:
    store(db, [offer("r1", "Cocinero", "23", "Cancún")])
    assert load_sample_if_empty(db, io.StringIO()) == 0


def test_the_committed_file_is_what_the_generator_writes() -> None:
    committed = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    assert committed == generate(len(committed))
    assert all(r["salary_min"] >= 315.04 * _DAYS[r["salary_period"]] for r in committed)  # 2026 minimum wage
    assert all(dt.date.fromisoformat(r["expires_on"]) > dt.date.fromisoformat(r["published_on"]) for r in committed)


_DAYS = {"day": 1, "week": 7, "fortnight": 15, "month": 30}


# What rights.documents says allows paid work; the COMAR constancia protects from deportation only.
WORK_DOCUMENTS = {"tvrh", "temporary_resident", "permanent_resident", "border_worker"}
_DAYS_OF = {"lunes a sábado": 6, "martes a domingo": 6, "jueves a martes": 6, "lunes a viernes": 5, "sábado": 1}
_SPAN = re.compile(r"(\d{1,2}):(\d{2}) a (\d{1,2}):(\d{2})")


def shift_hours(schedule: str) -> list[tuple[float, float]]:
    """(hours, of which at night 20:00-6:00) for each 'H:MM a H:MM' of a schedule."""
    found = []
    for h1, m1, h2, m2 in _SPAN.findall(schedule):
        start, end = int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)
        end += 24 * 60 if end <= start else 0
        night = sum(1 for minute in range(start, end) if minute % (24 * 60) >= 20 * 60 or minute % (24 * 60) < 6 * 60)
        found.append(((end - start) / 60, night / 60))
    return found


def test_sample_offers_keep_to_the_hours_and_documents_the_bot_states() -> None:
    """rights.hours: 8 h a day (7 at night, 7.5 mixed), 48 h a week in 2026; rights.asylum: the
    COMAR constancia is not a work document. The sample must not advertise the opposite."""
    committed = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    assert all(set(r["documents"]) <= WORK_DOCUMENTS for r in committed)
    assert any(r["documents"] for r in committed)
    for schedule in {r["schedule"] for r in committed}:
        lowered = schedule.lower()
        assert not re.search(r"\b(1[0-9]|9) horas|12x12|4x3", lowered), schedule
        week = 0.0
        for (hours, night), days in zip(shift_hours(lowered), _days(lowered)):
            limit = 7 if night >= 3.5 else 7.5 if night > 0 else 8
            assert hours <= limit, (schedule, hours, limit)
            week += hours * days
        assert week <= 48, (schedule, week)


def test_the_hours_check_would_catch_the_old_shifts() -> None:
    assert shift_hours("turnos de 12x12, 20:00 a 8:00") == [(12.0, 10.0)]
    assert shift_hours("lunes a viernes 8:00 a 18:00") == [(10.0, 0.0)]
    assert shift_hours("22:00 a 5:00") == [(7.0, 7.0)]


def _days(schedule: str) -> list[int]:
    """Days a week for each time span, in order ('lunes a viernes 8:00 a 16:00 y sábado 8:00 a 13:00')."""
    days = []
    for piece in _SPAN.split(schedule)[::5][:-1]:
        named = [n for name, n in _DAYS_OF.items() if name in piece]
        days.append(named[0] if named else 6)  # a shift without days named: six a week, at most
    return days
