"""The sample vacancies `puente start` loads into an empty database."""

from __future__ import annotations

import datetime as dt
import io
import json

from bot.vacancies.dates import mexico_today
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
