"""The servers a scenario measures, each started as a subprocess on a free port: Puente
(`puente serve`), the do-nothing endpoint, the python-telegram-bot echo bot and the Twilio
echo bot. The baselines run under the same uvicorn settings as `puente serve` (uvloop,
httptools, no access log, log level warning)."""

from __future__ import annotations

from bench.common import (
    ACCOUNT_SID, AUTH_TOKEN, BOT_TOKEN, PUBLIC_URL, PYTHON, WEBHOOK_SECRET, WHATSAPP_FROM, Served,
)

UVICORN = [PYTHON, "-m", "uvicorn", "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning",
           "--no-access-log"]

# Labels used in tables.
LABELS = {
    "puente": "Puente",
    "noop": "do-nothing endpoint",
    "ptb-echo": "python-telegram-bot echo",
    "twilio-echo": "Twilio echo (signature + TwiML)",
}


def puente(database_url: str, api_url: str, *, workers: int = 1, telegram_rate: int = 100_000) -> Served:
    """`puente serve` with both channels on, pointed at the fake platforms.

    TELEGRAM_MESSAGES_PER_SECOND is raised (default 30, Telegram's broadcast limit) so that a
    turn with more than one reply measures the server, not the deliberate outbound pace."""
    env = {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TELEGRAM_API_URL": api_url,
        "TELEGRAM_MESSAGES_PER_SECOND": str(telegram_rate),
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_API_URL": api_url,
        "WHATSAPP_MESSAGES_PER_SECOND": str(telegram_rate),
        "PUBLIC_URL": PUBLIC_URL,
        "LOG_LEVEL": "WARNING",
    }
    argv = [PYTHON, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", "{port}", "--workers", str(workers)]
    return Served("puente", argv, env)


def noop() -> Served:
    return Served("noop", [*UVICORN, "bench.baselines.noop:app"])


def ptb_echo(api_url: str, pool: int = 64) -> Served:
    argv = [PYTHON, "-m", "bench.baselines.ptb_echo", "--port", "{port}", "--api", api_url,
            "--token", BOT_TOKEN, "--secret", WEBHOOK_SECRET, "--pool", str(pool)]
    return Served("ptb-echo", argv)


def twilio_echo() -> Served:
    env = {"BENCH_TWILIO_AUTH_TOKEN": AUTH_TOKEN, "BENCH_PUBLIC_URL": PUBLIC_URL}
    return Served("twilio-echo", [*UVICORN, "bench.baselines.twilio_echo:app"], env)
