"""A database that cannot be reached: every webhook answers 503 (the platform tries again later)
and /healthz says so; nothing is sent to anyone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.app import App
from bot.engine import CompiledContent
from bot.settings import Settings
from bot.web.app import create_web_app
from tests.channels.conftest import FakeTime, channel_environment, make_app
from tests.channels.drivers import ChannelUser, TelegramUser, WhatsAppUser, load_form
from tests.channels.fakes import FakePlatforms, ServerThread
from tests.support.clock import FakeClock

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-puente-dir/puente.db",
    "postgresql": "postgresql://postgres@127.0.0.1:1/puente",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def down(
    request: pytest.FixtureRequest, platforms: FakePlatforms, content: CompiledContent, clock: FakeClock,
    fake_time: FakeTime, tmp_path: Path,
) -> Iterator[tuple[App, str]]:
    platforms.reset()
    settings = Settings.from_mapping(channel_environment(UNREACHABLE[request.param], platforms))
    app = make_app(settings, content, clock, fake_time)
    with ServerThread(create_web_app(app)) as server:
        yield app, server.url
        ChannelUser.close_all()
    app.close()


def test_webhooks_answer_503_while_the_database_is_away(
    down: tuple[App, str], platforms: FakePlatforms, clock: FakeClock
) -> None:
    app, web = down
    telegram = TelegramUser(app, web, platforms, clock)
    whatsapp = WhatsAppUser(app, web, platforms, clock)
    assert telegram.post(telegram.update("text.json", text="hola")).status_code == 503
    assert whatsapp.post(whatsapp.form("text.form", Body="hola")).status_code == 503
    assert whatsapp.post(whatsapp.form("text.form", Body="STOP")).status_code == 503
    status = load_form("status_delivered.form")
    assert whatsapp.post(status, path="/webhooks/whatsapp/status").status_code == 503
    assert platforms.calls == []
    health = httpx.get(f"{web}/healthz")
    assert health.status_code == 503 and "Traceback" not in health.text
    metrics = httpx.get(f"{web}/metrics").text
    assert 'puente_errors_total{channel="whatsapp",kind="database_unavailable"} 3.0' in metrics


def test_the_admin_shows_a_plain_unavailable_page(down: tuple[App, str]) -> None:
    _app, web = down
    # A staff member's browser: its session is looked up on every page.
    with httpx.Client(base_url=web, cookies={"puente_admin": "a" * 43}, headers={"accept-language": "en"}) as http:
        for path in ("/admin", "/admin/vacancies", "/admin/staff"):
            page = http.get(path, follow_redirects=False)
            assert page.status_code == 503, path
            assert "The database is not answering" in page.text and "Traceback" not in page.text
            assert "Nothing was changed" not in page.text  # nothing was being changed
            assert page.headers["Retry-After"] == "30"
            assert page.headers["X-Frame-Options"] == "DENY"  # the admin's headers as always
        posted = http.post("/admin/login", data={"login": "x", "password": "y", "csrf": "z"})
        assert posted.status_code == 503
        # Cut off, a change may have been committed or not: the page does not say it was not.
        assert "may not have been saved" in posted.text and "Nothing was changed" not in posted.text
