"""The partner organizations of the network (an SNE office, a shelter, an NGO): tenants of one
deployment. Staff accounts belong to one; a person who arrived through an organization's
referral code (`contacts.referral`, from a Telegram /start link or a WhatsApp prefilled
message) is that organization's first, for handoffs and the network's figures. An
organization may be a place of the help flow (`place`: an item id of dialogs/support_places.yaml).
No personal data of migrants here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, insert, select, update

from db.tables import metadata

KINDS = ("sne_office", "shelter", "ngo", "public_office")
# A referral code travels in links (/start <code>, a prefilled WhatsApp message): short,
# lowercase, no spaces; Telegram's deep-link payload allows [A-Za-z0-9_-] up to 64.
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")

organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("place", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Organization:
    id: int
    code: str
    name: str
    kind: str
    place: str | None


def _organization(row: Any) -> Organization:
    return Organization(row.id, row.code, row.name, row.kind, row.place)


def add(conn: Connection, code: str, name: str, kind: str, now: dt.datetime, place: str | None = None) -> int:
    if not CODE.fullmatch(code):
        raise ValueError("a code is 2 to 32 lowercase letters, digits, - or _")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    return conn.execute(
        insert(organizations).values(code=code, name=name, kind=kind, place=place, created_at=now, updated_at=now)
        .returning(organizations.c.id)
    ).scalar_one()


def change(conn: Connection, organization_id: int, now: dt.datetime, **values: Any) -> None:
    conn.execute(update(organizations).where(organizations.c.id == organization_id).values(updated_at=now, **values))


def get(conn: Connection, organization_id: int) -> Organization | None:
    row = conn.execute(select(organizations).where(organizations.c.id == organization_id)).first()
    return _organization(row) if row else None


def by_code(conn: Connection, code: str) -> Organization | None:
    row = conn.execute(select(organizations).where(organizations.c.code == code)).first()
    return _organization(row) if row else None


def all_organizations(conn: Connection) -> list[Organization]:
    return [_organization(r) for r in conn.execute(select(organizations).order_by(organizations.c.name))]
