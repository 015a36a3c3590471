"""Vacancy search on SQLite (FTS5) and PostgreSQL (tsvector): languages, typos, synonyms,
pages, the document filter, expiry, relaxed words and wider searches."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from bot.nlu.occupations import Occupations
from bot.nlu.places import Places
from bot.vacancies.request import read_request
from bot.vacancies.search import VacancySearch
from bot.vacancies.spec import SearchSpec
from db.database import Database
from db.vacancies.search import VacancyRepository
from db.vacancies.store import get_vacancy
from db.vacancies.tables import vacancies
from tests.vacancies.fixtures import TODAY, offer, store

YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()

OFFERS = [
    offer("c1", "Albañil", "19", "Monterrey", documents=["tvrh"]),
    offer("c2", "Ayudante de albañil", "19", "Apodaca"),
    offer("c3", "Peón de obra", "02", "Tijuana", documents=["comar"]),
    offer("k1", "Cocinero", "23", "Cancún", description="Restaurante de mariscos en la zona hotelera.",
          documents=["tvrh", "permanent_resident"]),
    offer("k2", "Ayudante de cocina", "14", "Guadalajara"),
    offer("k3", "Cocinera de comida corrida", "14", "Zapopan"),
    offer("w1", "Meseros para restaurante", "23", "Playa del Carmen"),
    offer("e1", "Electricista", "19", "Monterrey"),
    offer("x1", "Cocinero", "23", "Cancún", published_on="2026-10-01", expires_on=YESTERDAY),
    offer("f1", "Operador de producción", "05", "Saltillo"),
]


@pytest.fixture
def offers(db: Database) -> Database:
    store(db, OFFERS)
    return db


def find(db: Database, sentence: str, lang: str, **changes: object) -> list[str]:
    spec = read_request(sentence, lang, Occupations.load(), Places.load()).but(**changes)
    with db.transaction() as conn:
        page = VacancySearch(conn).page(spec, TODAY, limit=10)
    return [v.external_id for v in page.vacancies]


@pytest.mark.parametrize(("lang", "sentence", "expected"), [
    ("es", "albañil en Monterrey", ["c1", "c2"]),
    ("es", "busco trabajo de albanil en monterey", ["c1", "c2"]),
    ("es", "electrisista en Monterrey", ["e1"]),
    ("es", "meseros en playa del carmen", ["w1"]),
    ("ht", "travay konstriksyon Tijuana", ["c3"]),
    ("ht", "kwizinye Cancun", ["k1"]),
    ("fr", "cuisinier à Guadalajara", ["k2", "k3"]),
    ("fr", "je cherche un emploi de serveur", ["w1"]),
    ("en", "cook in Guadalajara", ["k2", "k3"]),
    ("en", "bricklayer in Monterey", ["c1", "c2"]),
    ("pt", "cozinheiro Cancún", ["k1"]),
    ("pt", "pedrero em Monterrey", ["c1", "c2"]),
])
def test_a_sentence_in_any_language_finds_the_offers(
    offers: Database, lang: str, sentence: str, expected: list[str]
) -> None:
    found = find(offers, sentence, lang)
    assert sorted(found) == sorted(expected)
    assert found[0] == expected[0]  # the city named comes first (Monterrey before Apodaca)


def test_free_words_with_a_typo_and_without_accents(offers: Database) -> None:
    assert find(offers, "restaurnte de mariscos", "es") == ["k1"]
    assert find(offers, "zona hotelera cancun", "es") == ["k1"]


def test_words_that_find_nothing_are_relaxed_with_a_trade(offers: Database) -> None:
    spec = read_request("albañil urgentísimo en Monterrey", "es", Occupations.load(), Places.load())
    with offers.transaction() as conn:
        page = VacancySearch(conn).page(spec, TODAY)
    assert page.relaxed and page.spec.words == ()
    assert [v.external_id for v in page.vacancies] == ["c1", "c2"]


def test_pages_of_three_without_repeats(db: Database) -> None:
    store(db, [offer(f"k{i}", "Cocinero de línea", "23", "Cancún",
                     published_on=(TODAY - dt.timedelta(days=i)).isoformat()) for i in range(7)])
    spec = SearchSpec(trades=("cooking",), state="23")
    seen: list[str] = []
    with db.transaction() as conn:
        search = VacancySearch(conn)
        pages = [search.page(spec, TODAY, offset=offset, limit=3) for offset in (0, 3, 6)]
    assert [len(p.vacancies) for p in pages] == [3, 3, 1]
    assert [p.has_more for p in pages] == [True, True, False]
    for page in pages:
        seen += [v.external_id for v in page.vacancies]
    assert seen == [f"k{i}" for i in range(7)]  # newest first (stored last), each once


def test_only_offers_that_accept_my_document(offers: Database) -> None:
    assert find(offers, "cocinero", "es", document="tvrh") == ["k1"]
    assert find(offers, "albañil", "es", document="comar") == ["c3"]
    assert find(offers, "cocinero en Guadalajara", "es", document="tvrh") == []


def test_expired_offers_are_never_shown(offers: Database) -> None:
    assert "x1" not in find(offers, "cocinero en Cancún", "es")
    with offers.transaction() as conn:
        expired = conn.execute(text("SELECT id FROM vacancies WHERE external_id = 'x1'")).scalar_one()
        assert get_vacancy(conn, expired, TODAY) is None
        assert get_vacancy(conn, expired) is not None  # kept, for staff and export
        assert VacancySearch(conn).count(SearchSpec(state="23"), TODAY) == 2


def test_an_offer_published_later_is_not_shown_yet(db: Database) -> None:
    store(db, [offer("soon", "Cocinero", "23", "Cancún", published_on=(TODAY + dt.timedelta(days=2)).isoformat())])
    assert find(db, "cocinero", "es") == []


def test_nothing_here_suggests_nearby_states_the_trade_group_and_all_mexico(offers: Database) -> None:
    spec = SearchSpec(trades=("construction",), state="28")  # Tamaulipas: none
    with offers.transaction() as conn:
        search = VacancySearch(conn)
        assert search.page(spec, TODAY).vacancies == []
        wider = {s.id: s for s in search.suggestions(spec, TODAY)}
        assert wider["near_19"].count == 2 and wider["near_19"].spec.state == "19"
        assert wider["country"].count == 3 and wider["country"].spec.state is None
        assert "group" not in wider  # no trade of division 7 in Tamaulipas
        group = {s.id: s for s in search.suggestions(SearchSpec(trades=("plumbing",), state="19"), TODAY)}
        assert group["group"].count == 3 and group["group"].spec.division == "7"
        assert {v.external_id for v in search.page(group["group"].spec, TODAY).vacancies} == {"e1", "c1", "c2"}


def test_an_imported_offer_is_found_at_once_and_updates_in_place(db: Database) -> None:
    store(db, [offer("n1", "Soldador", "08", "Ciudad Juárez")])
    assert find(db, "soldador en Juárez", "es") == ["n1"]
    store(db, [offer("n1", "Herrero", "08", "Ciudad Juárez")])
    assert find(db, "soldador en Ciudad Juárez", "es") == ["n1"]  # herrero is a welding synonym
    assert find(db, "herrero", "es") == ["n1"]
    with db.transaction() as conn:
        assert conn.execute(text("SELECT count(*) FROM vacancies")).scalar_one() == 1


def test_the_full_text_index_is_used(offers: Database) -> None:
    """The statement the repository runs is answered by the full-text index, in its order."""
    with offers.transaction() as conn:
        query = VacancyRepository(conn).statement(
            VacancySearch(conn).filter(SearchSpec(trades=("cooking",), words=("mariscos",)), TODAY), limit=4
        )
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            conn.execute(text("SET LOCAL enable_indexscan = off"))  # not the primary key, backwards
            plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))
            assert "ix_vacancies_search_vector" in plan
        else:
            plan = "\n".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "VIRTUAL TABLE INDEX" in plan
            assert "TEMP B-TREE" not in plan, plan  # newest first comes from the index: no sort


def test_the_city_asked_for_comes_first_then_its_state_across_pages(db: Database) -> None:
    store(db, [offer(f"m{i}", "Cocinero", "19", "Monterrey") for i in range(4)]
          + [offer(f"a{i}", "Cocinero", "19", "Apodaca") for i in range(3)]
          + [offer("g1", "Cocinero", "14", "Guadalajara"), offer("z1", "Cocinero", "32", "Guadalupe")])
    spec = read_request("cocinero en Monterrey", "es", Occupations.load(), Places.load())
    with db.transaction() as conn:
        search = VacancySearch(conn)
        pages = [[v.external_id for v in search.page(spec, TODAY, offset=o, limit=3).vacancies] for o in (0, 3, 6, 9)]
        # The user's own state first when no place is named.
        mine = search.page(SearchSpec(trades=("cooking",)), TODAY, limit=10, prefer_state="14").vacancies
    assert pages == [["m3", "m2", "m1"], ["m0", "a2", "a1"], ["a0"], []]
    assert mine[0].external_id == "g1" and len(mine) == 9
