"""A staff member's language and time zone: the choices offered, the ones in force for the
request being answered, and times, dates and numbers written in them (Babel)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from bot.web.admin.translations import LANGUAGES, N_, _, current, negotiate, speaking
from db.staff import Staff

DEFAULT_ZONE = "America/Mexico_City"
# Mexico's time zones (since 2022 none changes in summer, except along the US border), and UTC.
ZONES: dict[str, str] = {
    "America/Mexico_City": N_("Central Mexico (Mexico City, Guadalajara, Monterrey)"),
    "America/Cancun": N_("Southeast (Quintana Roo)"),
    "America/Mazatlan": N_("Pacific (Sinaloa, Nayarit, Baja California Sur)"),
    "America/Hermosillo": N_("Sonora"),
    "America/Tijuana": N_("Northwest (Baja California)"),
    "America/Ciudad_Juarez": N_("Ciudad Juárez"),
    "America/Matamoros": N_("Northeast border (Matamoros, Nuevo Laredo, Piedras Negras)"),
    "UTC": N_("Coordinated Universal Time (UTC)"),
}
FORMAT_LOCALES = {"es": "es_MX", "en": "en_US"}

_zone: ContextVar[str] = ContextVar("admin_zone", default=DEFAULT_ZONE)


def zone_of(staff: Staff | None) -> str:
    return staff.time_zone if staff is not None and staff.time_zone in ZONES else DEFAULT_ZONE


def language_of(staff: Staff | None, accept_language: str) -> str:
    """The account's choice, else the browser's (es-MX -> es), else Spanish."""
    if staff is not None and staff.language in LANGUAGES:
        return staff.language
    return negotiate(accept_language)


@contextlib.contextmanager
def in_force(language: str, zone: str = DEFAULT_ZONE) -> Iterator[None]:
    token = _zone.set(zone if zone in ZONES else DEFAULT_ZONE)
    try:
        with speaking(language):
            yield
    finally:
        _zone.reset(token)


def _locale() -> str:
    return FORMAT_LOCALES.get(current(), "en_US")


def zone_name() -> str:
    return _(ZONES[_zone.get()])


def when(moment: dt.datetime | None) -> Markup:
    """A moment in the staff member's zone and language, e.g. "3 dic 2026, 9:05 a.m."."""
    if moment is None:
        return Markup(escape(_("never")))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(ZoneInfo(_zone.get()))
    shown = f"{format_date(local.date(), 'medium', locale=_locale())}, {format_time(local, 'short', locale=_locale())}"
    stamp = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(stamp, zone_name(), shown)


def day(value: dt.date | str | None) -> str:
    """A calendar day in the staff member's language, e.g. "3 dic 2026"."""
    if value is None or value == "":
        return "—"
    date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(date, "medium", locale=_locale())


def number(value: int | float | Decimal) -> str:
    return format_decimal(value, locale=_locale())


def known_zone(name: str) -> bool:
    if name not in ZONES:
        return False
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return False
    return True
