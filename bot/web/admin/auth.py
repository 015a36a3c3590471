"""Staff accounts: roles and what each may do, argon2 passwords (hashed and checked on a thread
of their own, never on the event loop that serves the webhooks), login, sessions. Throttling
of wrong passwords: throttle.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from bot.languages import LANGUAGES, SOURCE_LANGUAGE
from bot.web.admin.throttle import LOCKOUT, MAX_FAILED_LOGINS  # noqa: F401 - part of this module's story
from bot.web.admin.translations import N_, _
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
    "translations.edit": N_("translate texts and mark translations reviewed, in the draft (translators: only "
                            "their languages)"),
    "simulator": N_("try the draft or live content in the simulator"),
    "staff.manage": N_("add staff, change roles, unlock and disable accounts"),
    "audit.read": N_("read the audit log"),
    "vacancies.read": N_("see vacancies and users' reports on them"),
    "vacancies.edit": N_("edit, close and upload vacancies; mark reports reviewed"),
    "registrations.read": N_("see people's registrations (every view is in the audit log)"),
    "registrations.export": N_("export registrations for the employment service (in the audit log)"),
    "organizations.read": N_("see their organization's page, referral links and posters (administrators: every one)"),
    "organizations.manage": N_("add and edit organizations; choose the organization of each staff account"),
    "network": N_("see the network's figures per organization and the needs analysis (aggregates only)"),
    "handoffs": N_("answer people who asked for a person: their organization's and the network's conversations "
                   "(administrators: every one; every view and reply is in the audit log)"),
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "editor": frozenset({"account", "dashboard", "content.read", "content.edit", "content.publish", "simulator",
                         "translations.edit", "vacancies.read", "vacancies.edit", "network"}),
    # Translations of their own languages, in the draft: never the Spanish source, never publishing.
    "translator": frozenset({"account", "dashboard", "content.read", "simulator", "translations.edit"}),
    # People's registrations are personal data: only caseworkers (and administrators) see them.
    "caseworker": frozenset({"account", "dashboard", "vacancies.read", "registrations.read",
                             "registrations.export", "organizations.read", "network", "handoffs"}),
    "viewer": frozenset({"account", "dashboard", "content.read", "simulator", "vacancies.read", "network"}),
}
ROLE_NAMES = {"admin": N_("Administrator"), "editor": N_("Content editor"), "translator": N_("Translator"),
              "caseworker": N_("Caseworker"), "viewer": N_("Viewer")}
assert set(ROLE_PERMISSIONS) == set(ROLES)

SESSION_IDLE = dt.timedelta(hours=2)
SESSION_MAX = dt.timedelta(hours=12)
# Writing last_seen on every request would make every page a write.
TOUCH_EVERY = dt.timedelta(minutes=1)
MIN_PASSWORD = 12
LOGIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-@")


class AccountError(ValueError):
    """A refused account operation; the message is shown as it is."""


def allowed(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def may_translate(staff: Staff | None, lang: str) -> bool:
    """Whether this account may change `lang`'s translations: editors and administrators every
    translated language, a translator only the languages given to their account."""
    if staff is None or lang == SOURCE_LANGUAGE or lang not in LANGUAGES or not allowed(staff.role, "translations.edit"):
        return False
    return staff.role != "translator" or lang in staff.translates


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


# One argon2 at a time per process: it takes a core for about half a second by design, and
# the other core keeps serving the webhooks (8 clients trying passwords wait in line).
PASSWORD_THREADS = 1


def _yield_to_webhooks() -> None:
    """The password thread runs at the lowest priority (Linux: nice 19 for this thread only):
    when the cores are busy, a webhook goes first and a login waits a little longer."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # not Linux, or not allowed: same behaviour, less polite
        pass


@dataclass
class Accounts:
    hasher: PasswordHasher

    _dummy: str = ""
    _threads: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(
            PASSWORD_THREADS, thread_name_prefix="argon2", initializer=_yield_to_webhooks
        ),
        repr=False,
    )

    async def off_loop(self, work, *args):  # type: ignore[no-untyped-def]
        """Run argon2 work on the password thread."""
        return await asyncio.get_running_loop().run_in_executor(self._threads, work, *args)

    async def check(self, staff: Staff | None, password: str) -> bool:
        """The password is the staff member's (a missing or disabled account costs the same time)."""
        if staff is None or staff.disabled:
            dummy = await self.off_loop(self.dummy_hash)
            await self.off_loop(self.verify, dummy, password)
            return False
        return bool(await self.off_loop(self.verify, staff.password_hash, password))

    async def rehash(self, staff: Staff, password: str) -> str | None:
        """A new hash when the stored one used weaker parameters than today's."""
        if self.hasher.check_needs_rehash(staff.password_hash):
            return str(await self.off_loop(self.hasher.hash, password))
        return None

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

    @staticmethod
    def failed(conn: Connection, staff: Staff | None, now: dt.datetime, *, locked: bool) -> None:
        """A wrong password on an account (audited; nothing for a login that does not exist)."""
        if staff is None or staff.disabled:
            return
        failed = staff.failed_logins + 1
        store.change(conn, staff.id, failed_logins=failed)
        if locked:
            audit.record(conn, staff.login, "staff.locked", {"after_failures": failed}, at=now)
        else:
            audit.record(conn, staff.login, "staff.login_failed", {"failures": failed}, at=now)

    @staticmethod
    def logged_in(conn: Connection, staff: Staff, now: dt.datetime, new_hash: str | None) -> None:
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if new_hash is not None:
            values["password_hash"] = new_hash
        store.change(conn, staff.id, **values)
        audit.record(conn, staff.login, "staff.login", {}, at=now)

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
