"""Fixtures: every database test runs on SQLite and on the local PostgreSQL server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.action_bridge import ActionBridge
from bot.app import App, build_app, load_files
from bot.engine import CompiledContent
from bot.nlu.training import train
from bot.nlu.understanding import Understanding
from bot.settings import PROJECT_ROOT, Settings
from tests.support.chat import Chat
from tests.support.clock import FakeClock
from tests.support.databases import Emptier, PostgresServer, fresh_sqlite, migrated_postgres, sqlite_template

BACKENDS = ("sqlite", "postgresql")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long tests first: those that declare a longer timeout, then the browser tests, then the
    rest in file order (a stable sort keeps each module's tests together). Under pytest-xdist a
    long test handed out last keeps one worker busy while the others have finished."""

    def weight(item: pytest.Item) -> tuple[float, int]:
        mark = item.get_closest_marker("timeout")
        declared = float(mark.args[0]) if mark is not None and mark.args else 0.0
        return (-declared, 0 if item.get_closest_marker("browser") else 1)

    items.sort(key=weight)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def _postgres_url() -> Iterator[str]:
    """This process's PostgreSQL database (each pytest-xdist worker has its own)."""
    yield from migrated_postgres(PostgresServer())


@pytest.fixture(scope="session")
def _postgres_emptier(_postgres_url: str) -> Iterator[Emptier]:
    emptier = Emptier(_postgres_url)
    yield emptier
    emptier.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a fresh SQLite file, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        yield fresh_sqlite(request.getfixturevalue("_sqlite_template"), tmp_path)
        return
    emptier: Emptier = request.getfixturevalue("_postgres_emptier")
    emptier.empty()
    yield emptier.url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings.from_mapping({"DATABASE_URL": database_url, "CONTENT_DIR": str(PROJECT_ROOT)})


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def _shipped() -> Settings:
    """Settings with nothing but the shipped content (no database): what the session's fixtures read."""
    return Settings.from_mapping({"CONTENT_DIR": str(PROJECT_ROOT)})


@pytest.fixture(scope="session")
def content() -> CompiledContent:
    """The shipped content, compiled once for the session (it is immutable)."""
    return load_files(_shipped(), ActionBridge.from_package())


@pytest.fixture
def app(
    settings: Settings, clock: FakeClock, content: CompiledContent, understanding: Understanding
) -> Iterator[App]:
    # `understanding` keeps the shipped content's trained models alive for the session, so that
    # every app finds them (bot/nlu/training.py remembers models while something uses them).
    application = build_app(settings, migrate=False, content=content)
    application.conversations.clock = clock
    yield application
    application.close()


@pytest.fixture
def chat(app: App, loop: asyncio.AbstractEventLoop, clock: FakeClock) -> Chat:
    return Chat(app, loop, clock)


@pytest.fixture(scope="session")
def understanding(content: CompiledContent) -> Understanding:
    """The intent and language models of the shipped content, trained once for the session, or
    read from the cache folder the servers tests start use too (~/.cache/puente/nlu; a
    training, 3-6 s of CPU, happens once per machine and change of the examples)."""
    found = train(content.nlu_examples, _shipped().nlu_cache)
    assert found is not None, "the intent classifier could not be trained"
    return found
