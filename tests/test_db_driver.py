"""The turn's statements run straight on sqlite3 store exactly what SQLAlchemy stores, and fail
with SQLAlchemy's exceptions (a lost database still answers 503, a duplicate is still caught)."""

from __future__ import annotations

import datetime as dt
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from db import contacts as contact_store
from db import driver, turns
from db.database import Database
from db.tables import conversations

NOW = dt.datetime(2026, 11, 25, 12, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.fixture
def db(database_url: str):  # type: ignore[no-untyped-def]
    """SQLite (sqlite3 underneath) and PostgreSQL (psycopg underneath), migrated and empty."""
    database = Database(database_url)
    yield database
    database.dispose()


def test_state_and_times_are_stored_as_sqlalchemy_stores_them(db: Database) -> None:
    state = {"flow": "main", "slots": {"name": "Jean-Baptiste Élie", "emoji": "🙂"}}
    with db.transaction() as conn:
        contact = contact_store.create_contact(conn, "telegram", "1", NOW)
        contact_store.save_state(conn, contact.id, state, NOW)  # through the driver
        fast = conn.execute(text("SELECT state, updated_at FROM conversations")).one()
        conn.execute(conversations.update().values(state=state, updated_at=NOW))  # through SQLAlchemy
        slow = conn.execute(text("SELECT state, updated_at FROM conversations")).one()
        assert fast == slow
        loaded = turns.load(conn, "telegram", "1", NOW)
        assert loaded.state == state
        stored = conn.execute(select(conversations.c.updated_at)).scalar_one()
        assert (stored if stored.tzinfo else stored.replace(tzinfo=dt.UTC)) == NOW


def test_a_message_id_is_claimed_once(db: Database) -> None:
    with db.transaction() as conn:
        assert contact_store.claim_message(conn, "telegram", "42", NOW)
        assert not contact_store.claim_message(conn, "telegram", "42", NOW)
        assert contact_store.claim_message(conn, "whatsapp", "42", NOW)


def test_driver_errors_are_sqlalchemy_errors_without_the_values(db: Database) -> None:
    with db.transaction() as conn:
        contact = contact_store.create_contact(conn, "telegram", "1", NOW)
    with pytest.raises(IntegrityError) as raised:  # noqa: SIM117
        with db.transaction() as conn:
            driver.run(conn, contact_store.statements(conn.dialect.name).save_state,
                       {"contact_id": contact.id + 100, "state": {"secret": "CURP-XYZ"}, "now": NOW})
    assert "CURP-XYZ" not in str(raised.value)


def test_cursor_event_listeners_see_the_statements(db: Database) -> None:
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement.split()[0])
        if statement.startswith("UPDATE contacts"):
            raise OperationalError(statement, None, ConnectionError("gone"))

    event.listen(db.engine, "before_cursor_execute", listen)
    with db.transaction() as conn:
        contact = contact_store.create_contact(conn, "telegram", "1", NOW)
        contact_store.claim_message(conn, "telegram", "1", NOW)
        with pytest.raises(OperationalError):
            contact_store.update_contact(conn, contact.id, last_inbound_at=NOW)
    assert "INSERT" in seen and "UPDATE" in seen


@pytest.mark.parametrize(("ago", "due"), [(None, True), (0, False), (59, False), (61, True), (-5, True)])
def test_last_inbound_is_kept_to_the_minute(ago: int | None, due: bool) -> None:
    last = None if ago is None else (NOW - dt.timedelta(seconds=ago)).replace(tzinfo=None)
    loaded = turns.Loaded(contact_store.Contact(1, None, None, False), None, last, None)
    assert loaded.touch_due(NOW) is due


def test_a_contact_another_worker_just_made_is_found_and_no_second_is_left(db: Database) -> None:
    with db.transaction() as conn:
        first = contact_store.create_contact(conn, "telegram", "1", NOW)
    with db.transaction() as conn:  # as a turn that did not see it yet would
        again = contact_store.create_contact(conn, "telegram", "1", NOW)
        other = contact_store.create_contact(conn, "whatsapp", "whatsapp:+5215500000001", NOW)
    assert first.created and not again.created and other.created
    assert again.id == first.id != other.id
    with db.transaction() as conn:
        assert conn.execute(text("SELECT count(*) FROM contacts")).scalar() == 2


def test_a_vacancy_page_reads_as_sqlalchemy_reads_it(db: Database) -> None:
    """The search page's statement, run on the driver: values the statement carries itself
    (SQLite's OFFSET after a LIMIT), and NUMERIC wages as Decimal on both backends."""
    import decimal

    from sqlalchemy import Integer, bindparam, literal_column

    from db.vacancies.tables import vacancies

    with db.transaction() as conn:
        conn.execute(vacancies.insert().values(
            id=7, source="sne", external_id="a", title="Cocinero", employer="", description="", state="19",
            municipality="", sinco="", salary_min=decimal.Decimal("1234.50"), salary_max=None, salary_period="month",
            schedule="", requirements="", how_to_apply="", note="", published_on=NOW.date(),
            expires_on=NOW.date(), created_at=NOW, updated_at=NOW))
        inner = select(vacancies.c.id).limit(bindparam("inner", type_=Integer))  # OFFSET 0 added on SQLite
        statement = select(vacancies, literal_column("1").label("one")).where(vacancies.c.id.in_(inner.scalar_subquery()))
        [fast] = driver.run(conn, statement, {"inner": 5})
        slow = conn.execute(statement.params(inner=5)).one()
    assert tuple(fast) == tuple(slow)
    assert fast.salary_min == decimal.Decimal("1234.50") and fast.published_on == NOW.date()
