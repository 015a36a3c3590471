"""Contacts, their channel identities and their conversation state.

Every turn runs the statements of this module, so the hot ones are built once per SQL
dialect with bound parameters (no statement construction per turn), run through db/driver.py
(straight on sqlite3 when the database is SQLite) and do one round trip
each: the message id is claimed with INSERT .. ON CONFLICT DO NOTHING (no savepoint) and the
state is saved with one upsert. The turn's one read is in db/turns.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import Executable

from db import answers, driver
from db.tables import contacts, conversations, identities, processed_messages


@dataclass(frozen=True)
class Contact:
    id: int
    language: str | None
    referral: str | None
    opted_out: bool
    created: bool = False


@dataclass(frozen=True)
class Statements:
    """The turn's statements for one dialect, built once."""

    claim: Executable
    find: Executable
    find_locked: Executable
    save_state: Executable
    touch: Executable
    # A first contact: the contact, then its identity unless another worker just made it.
    new_contact: Executable
    new_identity: Executable
    drop_contact: Executable


@cache
def statements(dialect: str) -> Statements:
    upsert = pg_insert if dialect == "postgresql" else sqlite_insert
    claim = upsert(processed_messages).values(
        channel=bindparam("channel"), external_id=bindparam("external_id"), processed_at=bindparam("now")
    ).on_conflict_do_nothing(index_elements=["channel", "external_id"]).returning(processed_messages.c.id)
    columns = (contacts.c.id, contacts.c.language, contacts.c.referral, contacts.c.opted_out)
    by_identity = (identities.c.channel == bindparam("channel"), identities.c.user_key == bindparam("user_key"))
    find = select(*columns).join(identities, identities.c.contact_id == contacts.c.id).where(*by_identity)
    save = upsert(conversations).values(
        contact_id=bindparam("contact_id"), state=bindparam("state", type_=conversations.c.state.type),
        updated_at=bindparam("now"),
    )
    save = save.on_conflict_do_update(
        index_elements=["contact_id"], set_={"state": save.excluded.state, "updated_at": save.excluded.updated_at}
    )
    touch = update(contacts).where(contacts.c.id == bindparam("contact_id")).values(
        last_inbound_at=bindparam("now")
    )
    new_identity = upsert(identities).values(
        contact_id=bindparam("contact_id"), channel=bindparam("channel"), user_key=bindparam("user_key")
    ).on_conflict_do_nothing(index_elements=["channel", "user_key"]).returning(identities.c.id)
    locking = dialect == "postgresql"
    return Statements(
        claim=claim,
        find=find,
        find_locked=find.with_for_update(of=contacts) if locking else find,
        save_state=save,
        touch=touch,
        new_contact=insert(contacts).values(created_at=bindparam("now"), opted_out=bindparam("opted_out"))
        .returning(contacts.c.id),
        new_identity=new_identity,
        drop_contact=delete(contacts).where(contacts.c.id == bindparam("contact_id")),
    )


def _sql(conn: Connection) -> Statements:
    return statements(conn.dialect.name)


def claim_message(conn: Connection, channel: str, external_id: str, now: dt.datetime) -> bool:
    """Record an inbound message id; False when it was already there (a redelivery)."""
    # RETURNING, not rowcount: psycopg reports -1 for INSERT .. ON CONFLICT through SQLAlchemy.
    return bool(driver.run(conn, _sql(conn).claim, {"channel": channel, "external_id": external_id, "now": now}))


def find_contact(conn: Connection, channel: str, user_key: str, *, lock: bool = False) -> Contact | None:
    sql = _sql(conn)
    row = conn.execute(sql.find_locked if lock else sql.find, {"channel": channel, "user_key": user_key}).first()
    return Contact(row.id, row.language, row.referral, bool(row.opted_out)) if row else None


def find_or_create_contact(
    conn: Connection, channel: str, user_key: str, now: dt.datetime, *, lock: bool = False
) -> Contact:
    found = find_contact(conn, channel, user_key, lock=lock)
    if found:
        return found
    return create_contact(conn, channel, user_key, now, lock=lock)


def create_contact(conn: Connection, channel: str, user_key: str, now: dt.datetime, *, lock: bool = False) -> Contact:
    """A new contact with this identity; the existing one when another worker just made it
    (its identity was there: the contact made here is removed again). No savepoint: a
    first contact is about every other turn of a busy hour, and a SAVEPOINT and its RELEASE
    cost two more statements."""
    sql = _sql(conn)
    [(contact_id,)] = driver.run(conn, sql.new_contact, {"now": now, "opted_out": False})
    if driver.run(conn, sql.new_identity, {"contact_id": contact_id, "channel": channel, "user_key": user_key}):
        return Contact(contact_id, None, None, False, created=True)
    driver.run(conn, sql.drop_contact, {"contact_id": contact_id})
    found = find_contact(conn, channel, user_key, lock=lock)
    assert found is not None
    return found


def insert_contact(conn: Connection, now: dt.datetime) -> int:
    """A contact without an identity (the simulator's throwaway one). A plain INSERT: on SQLite
    it opens the transaction (a SAVEPOINT as the first statement would start and then commit
    one of its own)."""
    statement = insert(contacts).values(created_at=now, opted_out=False).returning(contacts.c.id)
    return conn.execute(statement).scalar_one()


def update_contact(conn: Connection, contact_id: int, **values: Any) -> None:
    if set(values) == {"last_inbound_at"}:
        driver.run(conn, _sql(conn).touch, {"contact_id": contact_id, "now": values["last_inbound_at"]})
        return
    conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**values))


def load_state(conn: Connection, contact_id: int) -> dict[str, Any] | None:
    return conn.execute(
        select(conversations.c.state).where(conversations.c.contact_id == contact_id)
    ).scalar_one_or_none()


def save_state(conn: Connection, contact_id: int, state: dict[str, Any], now: dt.datetime) -> None:
    driver.run(conn, _sql(conn).save_state, {"contact_id": contact_id, "state": state, "now": now})


def delete_contact(conn: Connection, contact_id: int) -> None:
    """Everything personal goes: every table with personal data cascades from contacts."""
    conn.execute(delete(contacts).where(contacts.c.id == contact_id))


def prune_processed(conn: Connection, now: dt.datetime, keep: dt.timedelta) -> int:
    """Forget message ids (and the stored answers of their turns) older than `keep`: a
    platform redelivers within hours. How many ids were forgotten."""
    before = now - keep
    answers.prune(conn, before)
    gone = conn.execute(delete(processed_messages).where(processed_messages.c.processed_at < before))
    return int(gone.rowcount or 0)
