"""Staff accounts and their server-side sessions (work accounts, not migrants' data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from db.admin import staff_sessions as sessions
from db.admin import staff_users as users


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


@dataclass(frozen=True)
class Staff:
    id: int
    login: str
    password_hash: str
    role: str
    disabled: bool
    failed_logins: int
    locked_until: dt.datetime | None
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    organization_id: int | None = None
    # None: the browser's language / Mexico City time (bot/web/admin/preferences.py).
    language: str | None = None
    time_zone: str | None = None
    # The bot's languages a translator works on, space-separated ("ht fr").
    languages: str | None = None

    @property
    def translates(self) -> tuple[str, ...]:
        return tuple((self.languages or "").split())


@dataclass(frozen=True)
class Session:
    token_hash: str
    staff_id: int
    csrf_token: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    simulator: dict[str, Any] | None
    filters: dict[str, Any] | None = None


def _staff(row: Any) -> Staff:
    data = dict(row._mapping)
    for key in ("locked_until", "created_at", "last_login_at"):
        data[key] = aware(data[key])
    return Staff(**data)


def count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(users)).scalar_one()


def add(conn: Connection, login: str, password_hash: str, role: str, now: dt.datetime) -> int:
    return conn.execute(
        insert(users).values(login=login, password_hash=password_hash, role=role, disabled=False,
                             failed_logins=0, created_at=now).returning(users.c.id)
    ).scalar_one()


def by_login(conn: Connection, login: str) -> Staff | None:
    row = conn.execute(select(users).where(users.c.login == login)).first()
    return _staff(row) if row else None


def by_id(conn: Connection, staff_id: int) -> Staff | None:
    row = conn.execute(select(users).where(users.c.id == staff_id)).first()
    return _staff(row) if row else None


def everyone(conn: Connection) -> list[Staff]:
    return [_staff(r) for r in conn.execute(select(users).order_by(users.c.login))]


def change(conn: Connection, staff_id: int, **values: Any) -> None:
    conn.execute(update(users).where(users.c.id == staff_id).values(**values))


def open_session(conn: Connection, token_hash: str, staff_id: int, csrf: str, now: dt.datetime,
                 expires: dt.datetime) -> None:
    conn.execute(insert(sessions).values(token_hash=token_hash, staff_id=staff_id, csrf_token=csrf,
                                         created_at=now, last_seen_at=now, expires_at=expires))


def session(conn: Connection, token_hash: str) -> Session | None:
    row = conn.execute(select(sessions).where(sessions.c.token_hash == token_hash)).first()
    if row is None:
        return None
    data = dict(row._mapping)
    for key in ("created_at", "last_seen_at", "expires_at"):
        data[key] = aware(data[key])
    return Session(**data)


def touch_session(conn: Connection, token_hash: str, now: dt.datetime) -> None:
    conn.execute(update(sessions).where(sessions.c.token_hash == token_hash).values(last_seen_at=now))


def save_simulator(conn: Connection, token_hash: str, state: dict[str, Any] | None) -> None:
    conn.execute(update(sessions).where(sessions.c.token_hash == token_hash).values(simulator=state))


def save_filters(conn: Connection, token_hash: str, filters: dict[str, Any] | None) -> None:
    conn.execute(update(sessions).where(sessions.c.token_hash == token_hash).values(filters=filters))


def close_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))


def close_sessions_of(conn: Connection, staff_id: int, keep: str | None = None) -> None:
    query = delete(sessions).where(sessions.c.staff_id == staff_id)
    if keep:
        query = query.where(sessions.c.token_hash != keep)
    conn.execute(query)


def drop_expired(conn: Connection, now: dt.datetime) -> None:
    conn.execute(delete(sessions).where(sessions.c.expires_at < now))
