"""Login throttling: wrong passwords lock a login only for the address they come from, the
answers never tell whether an account exists, nobody can lock someone else out, and 8 clients
hammering the login leave the webhooks' latency alone (argon2 runs off the event loop)."""

from __future__ import annotations

import datetime as dt
import re
import time

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from bot.app import App
from bot.web.admin import throttle
from bot.web.admin.auth import Accounts
from bot.web.admin.site import Admin
from tests.admin.conftest import PASSWORD, StaffClient

# What staff read when a login is locked here (the English of the code: the tests ask for English).
LOCKED_TEXT = throttle.LOCKED % {"num": int(throttle.LOCKOUT.total_seconds() // 60)}


@pytest.fixture
def quick(admin_site: Admin) -> Admin:
    admin_site.throttle.refusal_delay = 0.0
    return admin_site


def browser(app: App, address: str) -> StaffClient:
    return StaffClient(TestClient(app._web, follow_redirects=True, client=(address, 40000),
                                  headers={"accept-language": "en"}))  # type: ignore[attr-defined]


def attempt(client: StaffClient, login: str, password: str) -> httpx.Response:
    client.get("/admin/login")
    return client.post("/admin/login", {"login": login, "password": password})


def test_a_lock_does_not_tell_whether_the_login_exists(app: App, staff_of, quick: Admin) -> None:  # type: ignore[no-untyped-def]
    staff_of("editor")
    answers = {}
    for login, address in (("editor.user", "10.1.0.1"), ("nobody.here", "10.1.0.2")):
        client = browser(app, address)
        answers[login] = [attempt(client, login, "guess") for _ in range(throttle.MAX_FAILED_LOGINS + 1)]
    for position in range(throttle.MAX_FAILED_LOGINS + 1):
        known, unknown = answers["editor.user"][position], answers["nobody.here"][position]
        assert known.status_code == unknown.status_code == 400
        assert strip_tokens(known.text) == strip_tokens(unknown.text)
    assert LOCKED_TEXT in answers["nobody.here"][-1].text


def test_guessing_from_one_address_locks_only_that_address(app: App, staff_of, quick: Admin) -> None:  # type: ignore[no-untyped-def]
    staff_of("editor")
    attacker = browser(app, "203.0.113.9")
    for _ in range(throttle.MAX_FAILED_LOGINS):
        attempt(attacker, "editor.user", "guess")
    assert LOCKED_TEXT in attempt(attacker, "editor.user", PASSWORD).text  # even the right one
    owner = browser(app, "198.51.100.20")
    assert attempt(owner, "editor.user", PASSWORD).status_code == 200
    assert "/admin/login" not in str(owner.client.get("/admin").url)


def test_guessing_from_many_addresses_slows_the_login_but_never_locks_its_owner_out(
    app: App, staff_of, quick: Admin, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(throttle, "ACCOUNT_DELAY", 0.2)
    staff_of("editor")
    for n in range(throttle.PER_ACCOUNT + 5):
        attempt(browser(app, f"192.0.2.{n}"), "editor.user", "guess")
    owner = browser(app, "198.51.100.21")
    started = time.monotonic()
    assert attempt(owner, "editor.user", PASSWORD).status_code == 200
    assert time.monotonic() - started >= 0.2  # slowed down, and let in
    assert "/admin/login" not in str(owner.client.get("/admin").url)


def test_one_address_trying_many_logins_must_wait(app: App, staff_of, quick: Admin) -> None:  # type: ignore[no-untyped-def]
    staff_of("editor")
    sprayer = browser(app, "203.0.113.50")
    answers = [attempt(sprayer, f"user{n}", "guess") for n in range(throttle.PER_ADDRESS.amount + 1)]
    assert throttle.BUSY in answers[-1].text and throttle.BUSY not in answers[-2].text
    # The real staff member elsewhere is not affected.
    assert attempt(browser(app, "198.51.100.22"), "editor.user", PASSWORD).status_code == 200


def strip_tokens(html: str) -> str:
    return re.sub(r'value="[A-Za-z0-9_-]{20,}"', 'value=""', html)


def test_an_unknown_login_takes_as_long_as_a_wrong_password(app: App, staff_of, quick: Admin) -> None:  # type: ignore[no-untyped-def]
    """Answered at once, an unknown login told a guesser which logins exist: a wrong password
    costs an argon2 check (~0.5 s in production), a login that does not exist cost nothing.
    Here the hashes are made slow on purpose, so the difference cannot hide in the noise."""
    slow = Accounts(PasswordHasher(time_cost=6, memory_cost=65536, parallelism=1))
    with app.db.transaction() as conn:
        slow.add(conn, "slow.editor", "editor", PASSWORD, "test", dt.datetime.now(dt.UTC))
    quick.accounts = slow
    took = {}
    for login, address in (("slow.editor", "10.4.0.1"), ("nobody.at.all", "10.4.0.2")):
        client = browser(app, address)
        client.get("/admin/login")
        started = time.perf_counter()
        assert client.post("/admin/login", {"login": login, "password": "guess"}).status_code == 400
        took[login] = time.perf_counter() - started
    assert took["nobody.at.all"] > 0.5 * took["slow.editor"], took
