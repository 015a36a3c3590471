"""Fixtures for the channels: fake platforms on loopback, the web app served over real HTTP
with Telegram and WhatsApp configured against them, and users on each platform."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.app import App, build_app
from bot.app import build_channels
from bot.channels.pacing import Pace
from bot.engine import CompiledContent
from bot.settings import PROJECT_ROOT, Settings
from bot.web.app import create_web_app
from tests.channels.drivers import PUBLIC_URL, WEBHOOK_SECRET, ChannelUser, TelegramUser, WhatsAppUser
from tests.channels.fakes import ACCOUNT_SID, AUTH_TOKEN, BOT_TOKEN, WHATSAPP_FROM, FakePlatforms, ServerThread
from tests.support.clock import FakeClock
from tests.support.serving import Stage

QUICK_REPLIES = {"HX" + "a" * 32: 2, "HX" + "b" * 32: 3}
LIST_PICKERS = {"HX" + "c" * 32: 5}


class FakeTime:
    """Monotonic time that moves only when the channels sleep: waits are recorded, not slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)

    def pace(self) -> Pace:
        return Pace(clock=self.clock, sleep=self.sleep)


@pytest.fixture(scope="session")
def platforms() -> Iterator[FakePlatforms]:
    fake = FakePlatforms()
    with ServerThread(fake.app) as server:
        fake.url = server.url  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def channel_environment(database_url: str, platforms: FakePlatforms, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "CONTENT_DIR": str(PROJECT_ROOT),
        "PUBLIC_URL": PUBLIC_URL,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TELEGRAM_API_URL": platforms.url,  # type: ignore[attr-defined]
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_API_URL": platforms.url,  # type: ignore[attr-defined]
        **extra,
    }


@pytest.fixture
def channel_settings(database_url: str, platforms: FakePlatforms) -> Settings:
    return Settings.from_mapping(channel_environment(database_url, platforms))


def make_app(settings: Settings, content: CompiledContent, clock: FakeClock, fake_time: FakeTime) -> App:
    application = build_app(settings, migrate=False, content=content)
    application.conversations.clock = clock
    application.channels = build_channels(settings, application.live, application.metrics, pace=fake_time.pace())
    return application


@pytest.fixture
def channel_app(
    channel_settings: Settings, content: CompiledContent, clock: FakeClock, fake_time: FakeTime,
    platforms: FakePlatforms, understanding: object,  # the trained models, kept for the session
) -> Iterator[App]:
    platforms.reset()
    application = make_app(channel_settings, content, clock, fake_time)
    yield application
    application.close()


@pytest.fixture(scope="session")
def _stage() -> Iterator[Stage]:
    with Stage() as stage:
        yield stage


@pytest.fixture
def web(channel_app: App, _stage: Stage) -> Iterator[str]:
    """The Puente web app served by uvicorn on loopback, as Telegram and Twilio reach it (one
    server per test process; each test's app has its own lifespan)."""
    with _stage.serving(create_web_app(channel_app)) as url:
        yield url
        ChannelUser.close_all()


@pytest.fixture
def telegram_user(channel_app: App, web: str, platforms: FakePlatforms, clock: FakeClock) -> TelegramUser:
    return TelegramUser(channel_app, web, platforms, clock)


@pytest.fixture
def whatsapp_user(channel_app: App, web: str, platforms: FakePlatforms, clock: FakeClock) -> WhatsAppUser:
    return WhatsAppUser(channel_app, web, platforms, clock)
