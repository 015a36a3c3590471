"""SNE registrations: one record per contact, with the privacy notice they accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    UniqueConstraint,
    cast,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection

from db.tables import contact_fk, metadata

registrations = Table(
    "registrations",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    Column("full_name", String(120), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("nationality", String(2), nullable=False),      # ISO 3166 code
    Column("document", String(32), nullable=False),        # bot/profile.py DOCUMENTS
    Column("curp", String(18)),                            # NULL: the person has none
    Column("phone", String(20), nullable=False),           # E.164
    Column("state", String(2), nullable=False, index=True),  # INEGI code
    Column("municipality", String(120), nullable=False),
    Column("education", String(32), nullable=False),  # bot/registration/education.py EDUCATION
    Column("trades", JSON, nullable=False),                # ids of bot/nlu/data/occupations.yaml
    Column("sinco", JSON, nullable=False),                 # their SINCO codes when registered
    Column("occupation_text", String(200), nullable=False),  # the person's own words
    Column("experience_years", Integer, nullable=False),
    Column("languages", JSON, nullable=False),             # ISO 639 codes
    Column("willing_to_relocate", Boolean, nullable=False),
    Column("chat_language", String(8), nullable=False),    # the language we write to them in
    Column("consent_version", String(32), nullable=False),
    Column("consent_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
    UniqueConstraint("contact_id", name="uq_registrations_contact_id"),
)


@dataclass(frozen=True)
class Registration:
    """What a person told us, checked by actions/registration/fields.py."""

    full_name: str
    birth_date: dt.date
    nationality: str
    document: str
    curp: str | None
    phone: str
    state: str
    municipality: str
    education: str
    trades: list[str]
    sinco: list[str]
    occupation_text: str
    experience_years: int
    languages: list[str]
    willing_to_relocate: bool
    chat_language: str
    consent_version: str
    consent_at: dt.datetime

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class StoredRegistration:
    id: int
    contact_id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    data: Registration


def save(conn: Connection, contact_id: int, data: Registration, now: dt.datetime) -> bool:
    """Insert or update the contact's registration; True when it is new."""
    changed = conn.execute(
        update(registrations)
        .where(registrations.c.contact_id == contact_id)
        .values(**data.values(), updated_at=now)
    ).rowcount
    if changed:
        return False
    conn.execute(
        insert(registrations).values(contact_id=contact_id, **data.values(), created_at=now, updated_at=now)
    )
    return True


def find(conn: Connection, contact_id: int) -> StoredRegistration | None:
    row = conn.execute(select(registrations).where(registrations.c.contact_id == contact_id)).first()
    return _stored(row._mapping) if row else None


def search(
    conn: Connection,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    state: str | None = None,
) -> Iterator[StoredRegistration]:
    """Registrations created or changed in [since, until), optionally in one state, oldest first."""
    query = select(registrations).order_by(registrations.c.updated_at, registrations.c.id)
    if since is not None:
        query = query.where(registrations.c.updated_at >= since)
    if until is not None:
        query = query.where(registrations.c.updated_at < until)
    if state is not None:
        query = query.where(registrations.c.state == state)
    for row in conn.execute(query):
        yield _stored(row._mapping)


@dataclass(frozen=True)
class Listing:
    """What staff filter the list by: words of the name, state, nationality, document, trade,
    and the period of the last change [since, until) as the export uses."""

    name: str = ""
    state: str = ""
    nationality: str = ""
    document: str = ""
    trade: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def listing(conn: Connection, where: Listing, *, limit: int, offset: int) -> tuple[list[StoredRegistration], int]:
    """One page of registrations, most recently changed first, and how many match in all."""
    conditions: list[Any] = []
    for word in where.name.lower().split()[:6]:
        conditions.append(func.lower(registrations.c.full_name).contains(word, autoescape=True))
    for column, value in ((registrations.c.state, where.state), (registrations.c.nationality, where.nationality),
                          (registrations.c.document, where.document)):
        if value:
            conditions.append(column == value)
    if where.trade:
        # A JSON list of ids, as text on both databases: '["construction", "painting"]'.
        conditions.append(cast(registrations.c.trades, String).contains(f'"{where.trade}"', autoescape=True))
    if where.since is not None:
        conditions.append(registrations.c.updated_at >= where.since)
    if where.until is not None:
        conditions.append(registrations.c.updated_at < where.until)
    total = conn.execute(select(func.count()).select_from(registrations).where(*conditions)).scalar_one()
    rows = conn.execute(
        select(registrations).where(*conditions)
        .order_by(registrations.c.updated_at.desc(), registrations.c.id.desc()).limit(limit).offset(offset)
    )
    return [_stored(row._mapping) for row in rows], int(total)


def by_id(conn: Connection, registration_id: int) -> StoredRegistration | None:
    row = conn.execute(select(registrations).where(registrations.c.id == registration_id)).first()
    return _stored(row._mapping) if row else None


def _stored(row: Any) -> StoredRegistration:
    names = {f.name for f in fields(Registration)}
    data = {k: v for k, v in row.items() if k in names}
    for key in ("consent_at",):
        data[key] = _aware(data[key])
    return StoredRegistration(
        id=row["id"],
        contact_id=row["contact_id"],
        created_at=_aware(row["created_at"]),
        updated_at=_aware(row["updated_at"]),
        data=Registration(**data),
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes for timezone columns; everything here is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
