"""`puente serve` and `puente telegram ...` as a deployer runs them, against the fake Bot API."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot import cli
from bot.app import App
from bot.commands import vacancies as vacancy_commands
from bot.settings import PROJECT_ROOT
from tests.channels.drivers import PUBLIC_URL, WEBHOOK_SECRET, load_update
from tests.channels.fakes import BOT_TOKEN, FakePlatforms
from tests.support.commands import puente
from tests.vacancies.fixtures import offer, store
from tests.vacancies.test_alerts import contact, subscribe


def puente_process(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real `python -m bot.cli` (`puente serve` forks: not in a test's process)."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **env},
    )


def telegram_env(platforms: FakePlatforms, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path}/puente.db",
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": platforms.url,  # type: ignore[attr-defined]
    }


def test_set_webhook_points_telegram_at_the_public_url_and_sets_commands(platforms: FakePlatforms, tmp_path: Path) -> None:
    platforms.reset()
    env = {**telegram_env(platforms, tmp_path), "PUBLIC_URL": PUBLIC_URL, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
    result = puente("telegram", "set-webhook", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"webhook set: {PUBLIC_URL}/webhooks/telegram" in result.stdout
    assert platforms.webhook == {"url": f"{PUBLIC_URL}/webhooks/telegram", "secret_token": WEBHOOK_SECRET}
    webhook = platforms.sent("setWebhook")[0].params
    assert webhook["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    # One command list per language, and one for everyone else (Spanish).
    assert set(platforms.commands) == {"", "es", "ht", "fr", "en", "pt"}
    described = {c["command"]: c["description"] for c in platforms.commands["fr"]}
    assert described == {
        "start": "Recommencer depuis le début", "menu": "Menu principal", "help": "Aide : comment utiliser Puente",
        "language": "Changer de langue", "back": "Revenir à la question précédente", "delete": "Supprimer mes données",
    }
    assert {c["command"]: c["description"] for c in platforms.commands[""]}["delete"] == "Borrar mis datos"
    info = puente("telegram", "info", cwd=tmp_path, env=env)
    assert f"webhook: {PUBLIC_URL}/webhooks/telegram" in info.stdout
    # Taking the webhook off (to poll from a laptop) asks Telegram and nothing else.
    deleted = puente("telegram", "delete-webhook", cwd=tmp_path, env=env)
    assert deleted.returncode == 0 and "webhook deleted" in deleted.stdout and platforms.webhook == {}
    assert "webhook: (none: polling or not set)" in puente("telegram", "info", cwd=tmp_path, env=env).stdout


def test_set_webhook_explains_what_is_missing(platforms: FakePlatforms, tmp_path: Path) -> None:
    env = telegram_env(platforms, tmp_path)
    no_url = puente("telegram", "set-webhook", cwd=tmp_path, env=env)
    assert no_url.returncode == 2 and "PUBLIC_URL must be the https:// address" in no_url.stdout
    no_secret = puente("telegram", "set-webhook", cwd=tmp_path, env={**env, "PUBLIC_URL": PUBLIC_URL})
    assert no_secret.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET is not set" in no_secret.stdout
    no_token = puente("telegram", "poll", cwd=tmp_path, env={"DATABASE_URL": env["DATABASE_URL"]})
    assert no_token.returncode == 2 and "TELEGRAM_BOT_TOKEN is not set" in no_token.stdout


def test_a_refusal_from_telegram_is_reported_not_a_traceback(platforms: FakePlatforms, tmp_path: Path) -> None:
    platforms.reset()
    platforms.fail("setWebhook", 400, description="Bad Request: bad webhook: Failed to resolve host")
    env = {**telegram_env(platforms, tmp_path), "PUBLIC_URL": PUBLIC_URL, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
    result = puente("telegram", "set-webhook", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "Telegram refused: " in result.stdout and "failed to resolve host" in result.stdout.lower()
    assert "Traceback" not in result.stderr


def test_telegram_out_of_reach_is_said_so_soon_not_as_a_refusal(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/puente.db", "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
           "TELEGRAM_API_URL": "http://127.0.0.1:9"}  # port 9: nothing listens
    started = time.monotonic()
    result = puente("telegram", "info", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stdout.startswith("Telegram could not be reached (") and "TELEGRAM_API_URL" in result.stdout
    assert time.monotonic() - started < 6  # one quick second try; a message's five took 8.5 s


def test_setting_the_webhook_with_telegram_out_of_reach_is_said_soon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in {"DATABASE_URL": f"sqlite:///{tmp_path}/puente.db", "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
                        "TELEGRAM_API_URL": "http://127.0.0.1:9", "PUBLIC_URL": PUBLIC_URL,
                        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}.items():
        monkeypatch.setenv(name, value)
    started = time.monotonic()
    assert cli.main(["telegram", "set-webhook"]) == 1
    assert capsys.readouterr().out.startswith("Telegram could not be reached (")
    assert time.monotonic() - started < 4  # the app's five tries, meant for messages, took 8 s


def test_polling_with_telegram_out_of_reach_is_said_soon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in {"DATABASE_URL": f"sqlite:///{tmp_path}/puente.db", "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
                        "TELEGRAM_API_URL": "http://127.0.0.1:9"}.items():
        monkeypatch.setenv(name, value)
    started = time.monotonic()
    assert cli.main(["telegram", "poll"]) == 1
    assert capsys.readouterr().out.startswith("Telegram could not be reached (")
    assert time.monotonic() - started < 4  # the first request's five tries, meant for messages, took 8 s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port), *args], cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # its workers in its process group, stopped with it
        )

    def __enter__(self) -> Served:
        try:
            return self._started()
        except BaseException:
            self.__exit__()  # a server that did not come up is not left running (nor its workers)
            raise

    def _started(self) -> Served:
        deadline = time.monotonic() + 60
        # One client for every try (a new one per try loaded the CA bundle again, ~20 ms).
        with httpx.Client(timeout=1, verify=False) as probe:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(self.process.stdout.read())  # type: ignore[union-attr]
                try:
                    if probe.get(f"{self.url}/healthz").status_code == 200:
                        return self
                except httpx.HTTPError:
                    time.sleep(0.05)
        raise AssertionError("puente serve did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.output = self.process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.output = self.process.communicate()[0]


def test_serve_says_which_channels_are_off(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/puente.db"}
    with Served([], tmp_path, env) as served:
        assert httpx.get(f"{served.url}/metrics").status_code == 200
        assert httpx.post(f"{served.url}/webhooks/telegram", json={}).status_code == 404
    assert served.process.returncode == 0
    assert "Telegram: off (set TELEGRAM_BOT_TOKEN)" in served.output
    assert "WhatsApp: off (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM, PUBLIC_URL)" in served.output
    assert "Traceback" not in served.output


def test_serve_without_its_database_says_the_migrations_failed_and_exits(tmp_path: Path) -> None:
    nowhere = "postgresql+psycopg://postgres@127.0.0.1:9/puente"  # port 9: nothing listens
    result = puente_process("serve", "--port", "9", cwd=tmp_path, env={"DATABASE_URL": nowhere})
    assert result.returncode == 1
    assert "Connection refused" in result.stderr
    assert result.stderr.rstrip().endswith("error: the database could not be migrated (why: above)")
    assert "Traceback" not in result.stderr


def test_serve_keeps_an_idle_connection_open_past_uvicorns_five_seconds(tmp_path: Path) -> None:
    """Behind a balancer the server must close idle connections last (bot/commands/serve.py):
    the same connection still answers after 6 quiet seconds."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/puente.db"}
    with Served([], tmp_path, env) as served:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
        statuses, sockets = [], []
        try:
            for pause in (0.0, 6.0):
                time.sleep(pause)
                connection.request("GET", "/healthz", headers={"Connection": "keep-alive"})
                answer = connection.getresponse()
                answer.read()
                statuses.append(answer.status)
                sockets.append(connection.sock)
        finally:
            connection.close()
        # A connection the server closed would fail the second request (RemoteDisconnected).
        assert statuses == [200, 200] and sockets[0] is sockets[1]


@pytest.mark.timeout(180)
def test_serve_with_two_workers_adds_up_their_metrics(platforms: FakePlatforms, tmp_path: Path) -> None:
    env = {**telegram_env(platforms, tmp_path), "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    with Served(["--workers", "2"], tmp_path, env) as served:
        turns = 16
        for n in range(turns):
            update = load_update("text.json")
            update["update_id"] = 990000 + n
            update["message"]["from"]["id"] = update["message"]["chat"]["id"] = 4000 + n
            # A new connection each time, so the workers share the requests.
            answer = httpx.post(f"{served.url}/webhooks/telegram", content=json.dumps(update),
                                headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
            assert answer.status_code == 200 and answer.json()["method"] == "sendMessage"
        # Whichever worker answers the scrape, it reports both workers' turns.
        for _ in range(6):
            assert f'puente_turns_total{{channel="telegram"}} {turns:.1f}' in httpx.get(f"{served.url}/metrics").text
    assert "Telegram: on, POST /webhooks/telegram" in served.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # SQLite's write lock
def test_alerts_on_a_loop_miss_a_round_while_another_process_writes_and_go_on(
    app: App, platforms: FakePlatforms, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    platforms.reset()
    ana = contact(app, "5551", "es")
    subscribe(app, ana)
    store(app.db, [offer("new", "Cocinero de línea", "23", "Cancún")], now=dt.datetime.now(dt.UTC))
    monkeypatch.setenv("DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", platforms.url)  # type: ignore[attr-defined]
    holder = sqlite3.connect(app.settings.database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # an import, writing
    rounds: list[float] = []

    async def between_rounds(seconds: float) -> None:
        rounds.append(seconds)
        if len(rounds) == 1:
            holder.execute("ROLLBACK")  # the import is done
        else:
            raise KeyboardInterrupt  # the operator's Ctrl-C

    monkeypatch.setattr(vacancy_commands.asyncio, "sleep", between_rounds)
    assert cli.main(["vacancies", "alerts", "--loop", "60"]) == 0
    said = capsys.readouterr()
    assert said.err.startswith("error: the database is busy") and said.err.rstrip().endswith("(again in 60 s)")
    assert said.out.startswith("1 alert message(s) with 1 vacancies to 1 user(s)"), said.out
    [alert] = platforms.sent(chat_id="5551")  # sent in the round after the busy one, once
    assert "Cocinero de línea" in alert.params["text"]
    assert rounds == [60, 60]
    holder.close()
