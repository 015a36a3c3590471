"""Settings read from an injected mapping: the only place that looks at the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A deployer's configuration mistake, with the variable's name and the fix."""


def _read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip().removeprefix("export ").strip()] = value
    return values


@dataclass(frozen=True)
class Settings:
    """Everything configurable. Field names are the environment variables, lower-cased."""

    database_url: str = "sqlite:///puente.db"
    content_dir: Path = PROJECT_ROOT
    public_url: str = ""
    # Secrets stay out of repr() (and so out of any log line that prints the settings).
    telegram_bot_token: str = field(default="", repr=False)
    telegram_webhook_secret: str = field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    # The bot's username for referral links (t.me/<username>?start=<code>); "" = asked from
    # Telegram once per process (getMe) when the token is set.
    telegram_bot_username: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    twilio_whatsapp_from: str = ""
    twilio_api_url: str = ""
    # WhatsApp quick replies / list pickers: "2=HX...,3=HX..." (number of options = Content SID).
    twilio_quick_reply_sids: str = ""
    twilio_list_picker_sids: str = ""
    # Outbound pace per sender: Telegram allows ~30 messages/s per bot, Twilio ~80/s per sender.
    telegram_messages_per_second: int = 30
    whatsapp_messages_per_second: int = 80
    # Shared folder for /metrics when `puente serve --workers N` runs several processes.
    prometheus_multiproc_dir: str = ""
    # Redis shared by every worker: the send pace and login throttling ("" = per process).
    redis_url: str = field(default="", repr=False)
    # A bearer token /metrics asks for ("" = open, as on a private network).
    metrics_token: str = field(default="", repr=False)
    # When the job worker sends vacancy alerts (cron, in UTC; "" = only `puente vacancies alerts`).
    vacancy_alerts_cron: str = "*/15 * * * *"
    # 1: every `puente serve` process also runs the job worker; 0: only `puente worker` does.
    web_jobs: int = 1
    # Processed message ids are kept this many days (a platform redelivers within hours).
    processed_ids_days: int = 7
    # Seconds of silence after which a half-finished conversation asks "continue or start over?"
    idle_resume_seconds: int = 6 * 3600
    # Misses in a row at one question before the main menu is offered.
    max_misses: int = 2
    # What a person who asks for a human is told (dialogs/system.yaml, handoff_hours / handoff_wait):
    # the staff's office hours in Mexico City time ("9:00-18:00"; "" = not said) and the usual
    # wait for a first answer, in hours (0 = not said). Only what the network can keep.
    handoff_hours: str = ""
    handoff_wait_hours: int = 0
    # Closed handoffs and their messages are deleted after this many days (`puente handoffs purge`).
    handoff_retention_days: int = 90
    default_language: str = "es"
    # Trained intent classifiers kept on disk by a fingerprint of their examples (bot/nlu/training.py):
    # "" = ~/.cache/puente/nlu (or $XDG_CACHE_HOME/puente/nlu), "off" = train in every process.
    nlu_cache_dir: str = ""
    log_level: str = "INFO"
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> Settings:
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = mapping.get(f.name.upper())
            if raw is None or raw == "":
                continue
            kwargs[f.name] = _convert(f.name, f.type, raw)
        extra = {k: v for k, v in mapping.items() if k.lower() not in known}
        settings = cls(**kwargs, extra=extra)  # type: ignore[arg-type]
        settings.check()
        return settings

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
        """Environment wins over the optional .env file (default: ./.env)."""
        merged = _read_dotenv(dotenv or Path.cwd() / ".env")
        merged.update(environ if environ is not None else os.environ)
        return cls.from_mapping(merged)

    def check(self) -> None:
        if self.default_language not in ("es", "ht", "fr", "en", "pt"):
            raise SettingsError(
                f"DEFAULT_LANGUAGE={self.default_language!r} is not shipped; use es, ht, fr, en or pt"
            )
        if self.database_url.split(":", 1)[0] not in (
            "sqlite", "postgresql", "postgresql+psycopg",
        ):
            raise SettingsError(
                "DATABASE_URL must start with sqlite:/// or postgresql:// "
                f"(got {self.database_url.split(':', 1)[0]!r})"
            )
        if self.telegram_webhook_secret and not _SECRET.fullmatch(self.telegram_webhook_secret):
            raise SettingsError(
                "TELEGRAM_WEBHOOK_SECRET may use only letters, digits, _ and - (1 to 256 of them)"
            )
        if self.telegram_bot_username and not _BOT_USERNAME.fullmatch(self.telegram_bot_username):
            raise SettingsError(
                f"TELEGRAM_BOT_USERNAME={self.telegram_bot_username!r} is not a bot's username: 5 to 32 "
                "letters, digits or _, ending in 'bot', written without @ (e.g. PuenteMxBot)"
            )
        if self.public_url and not self.public_url.startswith(("https://", "http://")):
            raise SettingsError(f"PUBLIC_URL={self.public_url!r} must start with https://")
        for name in ("twilio_quick_reply_sids", "twilio_list_picker_sids"):
            content_sids(getattr(self, name), name.upper())
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")
        if self.vacancy_alerts_cron and len(self.vacancy_alerts_cron.split()) not in (5, 6):
            raise SettingsError(
                f"VACANCY_ALERTS_CRON={self.vacancy_alerts_cron!r} is not a cron line (e.g. */15 * * * *)"
            )
        if self.handoff_hours and not _HOURS.fullmatch(self.handoff_hours):
            raise SettingsError(f"HANDOFF_HOURS={self.handoff_hours!r} should look like 9:00-18:00")
        if self.handoff_retention_days < 1 or self.handoff_wait_hours < 0:
            raise SettingsError("HANDOFF_RETENTION_DAYS must be at least 1 and HANDOFF_WAIT_HOURS at least 0")
        if self.processed_ids_days < 1:
            raise SettingsError("PROCESSED_IDS_DAYS must be at least 1")
        for name in ("telegram_messages_per_second", "whatsapp_messages_per_second"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name.upper()} must be at least 1")

    @property
    def nlu_cache(self) -> Path | None:
        if self.nlu_cache_dir == "off":
            return None
        if self.nlu_cache_dir:
            return Path(self.nlu_cache_dir)
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(base) / "puente" / "nlu"

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def telegram_webhook_enabled(self) -> bool:
        """The webhook needs the secret: without it anyone could post updates."""
        return self.telegram_enabled and bool(self.telegram_webhook_secret)

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_whatsapp_from)

    @property
    def whatsapp_webhook_enabled(self) -> bool:
        """Twilio signatures are checked against PUBLIC_URL: without it no request can be trusted."""
        return self.whatsapp_enabled and bool(self.public_url)

    def public(self, path: str) -> str:
        return self.public_url.rstrip("/") + path


_HOURS = re.compile(r"\d{1,2}(:\d\d)?-\d{1,2}(:\d\d)?")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]")


def content_sids(raw: str, name: str = "") -> dict[int, str]:
    """'2=HXaa,3=HXbb' -> {2: 'HXaa', 3: 'HXbb'}: one Twilio Content SID per number of options."""
    found: dict[int, str] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        count, _, sid = part.partition("=")
        if not count.strip().isdigit() or not sid.strip().startswith("HX"):
            raise SettingsError(
                f"{name}: {part!r} should look like 3=HX0123... (number of options = Content SID)"
            )
        found[int(count)] = sid.strip()
    return found


def export_for_workers(name: str, value: str) -> None:
    """Put a value in the environment of worker processes started after this call
    (prometheus_client's multiprocess mode reads PROMETHEUS_MULTIPROC_DIR only from there)."""
    os.environ[name] = value


def _convert(name: str, annotation: object, raw: str) -> object:
    kind = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{name.upper()}={raw!r} must be a whole number") from None
    if kind == "Path":
        return Path(raw).expanduser()
    return raw
