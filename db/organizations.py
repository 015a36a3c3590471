"""The partner organizations of the network (an SNE office, a shelter, an NGO): tenants of one
deployment. Staff accounts belong to one; a person who arrived through an organization's
referral code (`contacts.referral`, from a Telegram /start link or a WhatsApp prefilled
message) is that organization's first, for handoffs and the network's figures. An
organization may be a place of the help flow (`place`: an item id of dialogs/support_places.yaml).
No personal data of migrants here.

Who sees what (`may_see`): administrators see every organization; any other account only its
own. An account without an organization (`organization_id` NULL) works for the network itself
and sees no organization's page (the handoff inbox adds the unassigned handoffs for it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, exists, insert, select, update

from bot.messages import REFERRAL_CODE
from db.staff import Staff, everyone
from db.tables import contacts, counters, metadata

KINDS = ("sne_office", "shelter", "ngo", "public_office")
# A referral code travels in links (/start <code>, a prefilled WhatsApp message): short,
# lowercase, no spaces; Telegram's deep-link payload allows [A-Za-z0-9_-] up to 64.
CODE = REFERRAL_CODE
# Counters keyed "<organization code>:..." (HANDOFF_SCHEMA.md): a code they name is in use.
COUNTER_NAMES = ("handoff", "handoff_rating")
# What those counters say for a person of no organization.
NO_ORGANIZATION = "none"
NAME_LENGTH = 200

organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("place", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


class OrganizationError(ValueError):
    """A refused organization (a bad or taken code, an unknown kind); the message is shown as it is."""


@dataclass(frozen=True)
class Organization:
    id: int
    code: str
    name: str
    kind: str
    place: str | None


def _organization(row: Any) -> Organization:
    return Organization(row.id, row.code, row.name, row.kind, row.place)


def check_code(code: str) -> str:
    """The code as stored: trimmed and lowercase; refused unless it fits a link."""
    code = code.strip().lower()
    if not CODE.fullmatch(code):
        raise OrganizationError("a code is 2 to 32 lowercase letters, digits, - or _, starting with a letter or digit")
    if code == NO_ORGANIZATION:
        raise OrganizationError(f"'{NO_ORGANIZATION}' stands for no organization in the figures; choose another code")
    return code


def check(code: str, name: str, kind: str) -> tuple[str, str]:
    """The code and name to store, or OrganizationError saying what is wrong."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_LENGTH:
        raise OrganizationError(f"a name has 1 to {NAME_LENGTH} characters")
    if kind not in KINDS:
        raise OrganizationError(f"kind must be one of {', '.join(KINDS)}")
    return check_code(code), name


def add(conn: Connection, code: str, name: str, kind: str, now: dt.datetime, place: str | None = None) -> int:
    code, name = check(code, name, kind)
    if by_code(conn, code) is not None:
        raise OrganizationError(f"the code '{code}' is taken by another organization")
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


def by_place(conn: Connection, place: str) -> Organization | None:
    row = conn.execute(select(organizations).where(organizations.c.place == place)).first()
    return _organization(row) if row else None


def all_organizations(conn: Connection) -> list[Organization]:
    return [_organization(r) for r in conn.execute(select(organizations).order_by(organizations.c.name))]


def organization_of(conn: Connection, staff: Staff) -> Organization | None:
    """The organization a staff account works for; None: the network's own staff."""
    return get(conn, staff.organization_id) if staff.organization_id is not None else None


def may_see(staff: Staff, organization_id: int) -> bool:
    """Administrators see every organization; anyone else only their own."""
    return staff.role == "admin" or staff.organization_id == organization_id


def members(conn: Connection, organization_id: int) -> list[Staff]:
    return [s for s in everyone(conn) if s.organization_id == organization_id]


def code_in_use(conn: Connection, code: str) -> bool:
    """People arrived with the code, or figures count under it: changing it would orphan them
    (and the posters already printed with it)."""
    referred = exists().where(contacts.c.referral == code)
    counted = exists().where(counters.c.name.in_(COUNTER_NAMES), counters.c.key.startswith(f"{code}:", autoescape=True))
    return bool(conn.execute(select(referred | counted)).scalar())
