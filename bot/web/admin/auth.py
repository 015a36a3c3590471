"""Staff accounts: roles and what each may do, argon2 passwords, login with lockout, sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from bot.web.admin.translations import N_, _, ngettext
from db import audit
from db import staff as store
from db.admin import ROLES
from db.staff import Session, Staff

# What each permission lets a person do; routes declare the one they need.
PERMISSIONS = {
    "account": N_("change their own password, language and time zone"),
    "dashboard": N_("see the needs-analysis dashboard (aggregates only)"),
    "content.read": N_("read flows and translations, and the revision history"),
    "content.edit": N_("change texts and buttons in the draft"),
    "content.publish": N_("publish the draft, restore an earlier revision"),
    "simulator": N_("try the draft or live content in the simulator"),
    "staff.manage": N_("add staff, change roles, unlock and disable accounts"),
    "audit.read": N_("read the audit log"),
    "vacancies.read": N_("see vacancies and users' reports on them"),
    "vacancies.edit": N_("edit, close and upload vacancies; mark reports reviewed"),
    "registrations.read": N_("see people's registrations (every view is in the audit log)"),
    "registrations.export": N_("export registrations for the employment service (in the audit log)"),
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "editor": frozenset({"account", "dashboard", "content.read", "content.edit", "content.publish", "simulator",
                         "vacancies.read", "vacancies.edit"}),
    # People's registrations are personal data: only caseworkers (and administrators) see them.
    "caseworker": frozenset({"account", "dashboard", "vacancies.read", "registrations.read",
                             "registrations.export"}),
    "viewer": frozenset({"account", "dashboard", "content.read", "simulator", "vacancies.read"}),
}
ROLE_NAMES = {"admin": N_("Administrator"), "editor": N_("Content editor"), "caseworker": N_("Caseworker"),
              "viewer": N_("Viewer")}
assert set(ROLE_PERMISSIONS) == set(ROLES)

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_IDLE = dt.timedelta(hours=2)
SESSION_MAX = dt.timedelta(hours=12)
# Writing last_seen on every request would make every page a write.
TOUCH_EVERY = dt.timedelta(minutes=1)
MIN_PASSWORD = 12
LOGIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")


class AccountError(ValueError):
    """A refused account operation; the message is shown as it is."""


class LoginRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def generate_password() -> str:
    # Four groups of 8 URL-safe characters (about 190 bits), no _ or - inside a group.
    return "-".join(secrets.token_urlsafe(6).replace("_", "x").replace("-", "y") for _ in range(4))


def check_login_name(login: str) -> str:
    login = login.strip().lower()
    if not 2 <= len(login) <= 64 or not set(login) <= LOGIN_CHARS:
        raise AccountError(_("A login has 2 to 64 lowercase letters, digits or . _ - @"))
    return login


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(_("A password needs at least %(count)s characters.") % {"count": MIN_PASSWORD})
    if len(password) > 256:
        raise AccountError(_("A password has at most 256 characters."))
    return password


@dataclass
class Accounts:
    hasher: PasswordHasher

    _dummy: str = ""

    def dummy_hash(self) -> str:
        """Verified when the login does not exist, so both cases take the same time."""
        if not self._dummy:
            self._dummy = self.hasher.hash(secrets.token_hex(16))
        return self._dummy

    def add(self, conn: Connection, login: str, role: str, password: str, actor: str, now: dt.datetime) -> int:
        login = check_login_name(login)
        if role not in ROLES:
            raise AccountError(_("Unknown role '%(role)s'; use one of: %(roles)s") % {"role": role, "roles": ", ".join(ROLES)})
        if store.by_login(conn, login):
            raise AccountError(_("There is already an account '%(login)s'.") % {"login": login})
        staff_id = store.add(conn, login, self.hasher.hash(check_password(password)), role, now)
        audit.record(conn, actor, "staff.add", {"login": login, "role": role}, at=now)
        return staff_id

    def set_password(self, conn: Connection, staff: Staff, password: str, actor: str, now: dt.datetime,
                     keep_session: str | None = None) -> None:
        store.change(conn, staff.id, password_hash=self.hasher.hash(check_password(password)),
                     failed_logins=0, locked_until=None)
        store.close_sessions_of(conn, staff.id, keep=keep_session)
        audit.record(conn, actor, "staff.password", {"login": staff.login}, at=now)

    def verify(self, encoded: str, password: str) -> bool:
        try:
            return self.hasher.verify(encoded, password)
        except (VerificationError, InvalidHashError):
            return False

    def login(self, conn: Connection, login: str, password: str, now: dt.datetime) -> Staff:
        """The staff member, or LoginRefused with a message that does not reveal which part was wrong."""
        wrong = LoginRefused(_("Wrong login or password."))
        staff = store.by_login(conn, login.strip().lower()[:64])
        if staff is None or staff.disabled:
            self.verify(self.dummy_hash(), password)
            raise wrong
        if staff.locked_until and staff.locked_until > now:
            minutes = max(1, int((staff.locked_until - now).total_seconds() // 60) + 1)
            raise LoginRefused(ngettext(
                "Too many wrong passwords: this account is locked for %(num)s more minute. An administrator can unlock it.",
                "Too many wrong passwords: this account is locked for %(num)s more minutes. An administrator can unlock it.",
                minutes) % {"num": minutes})
        if not self.verify(staff.password_hash, password):
            failed = staff.failed_logins + 1
            if failed >= MAX_FAILED_LOGINS:
                store.change(conn, staff.id, failed_logins=0, locked_until=now + LOCKOUT)
                audit.record(conn, staff.login, "staff.locked", {"after_failures": failed}, at=now)
                raise LoginRefused(_("Too many wrong passwords: this account is locked for %(num)s minutes.")
                                   % {"num": int(LOCKOUT.total_seconds() // 60)})
            store.change(conn, staff.id, failed_logins=failed)
            audit.record(conn, staff.login, "staff.login_failed", {"failures": failed}, at=now)
            raise wrong
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if self.hasher.check_needs_rehash(staff.password_hash):
            values["password_hash"] = self.hasher.hash(password)
        store.change(conn, staff.id, **values)
        audit.record(conn, staff.login, "staff.login", {}, at=now)
        return staff

    @staticmethod
    def open_session(conn: Connection, staff: Staff, now: dt.datetime) -> str:
        """A new session; returns the cookie token (only its hash is stored)."""
        store.drop_expired(conn, now)
        token = secrets.token_urlsafe(32)
        store.open_session(conn, token_hash(token), staff.id, secrets.token_urlsafe(32), now, now + SESSION_MAX)
        return token

    @staticmethod
    def resume(conn: Connection, token: str, now: dt.datetime) -> tuple[Session, Staff] | None:
        """The live session and its staff member; None when unknown, expired, idle or disabled."""
        if not token or len(token) > 100:
            return None
        session = store.session(conn, token_hash(token))
        if session is None:
            return None
        staff = store.by_id(conn, session.staff_id)
        if (staff is None or staff.disabled or session.expires_at <= now
                or session.last_seen_at + SESSION_IDLE <= now):
            store.close_session(conn, session.token_hash)
            return None
        if now - session.last_seen_at >= TOUCH_EVERY:
            store.touch_session(conn, session.token_hash, now)
        return session, staff
