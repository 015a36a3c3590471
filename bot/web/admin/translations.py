"""The admin's own words in Spanish and English: its catalogs (bot/web/admin/locales/<lang>/
LC_MESSAGES/admin.po), the language of the request being answered, and the gettext functions.

Messages are written in English in the code (`_("Saved")`, `N_(...)` for module-level texts
translated when shown); Spanish is what staff get unless they or their browser ask for English.
The bot's catalogs (locales/) hold only what users read: never an admin text."""

from __future__ import annotations

import contextlib
import gettext
import io
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "admin"
LANGUAGES = ("es", "en")
DEFAULT_LANGUAGE = "es"
# Each language's name in itself: how the account page offers it.
LANGUAGE_NAMES = {"es": "Español", "en": "English"}

# The language of the request being answered; None outside a request (the CLI): the English of the code.
_language: ContextVar[str | None] = ContextVar("admin_language", default=None)


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The language's catalog, compiled in memory from its .po at first use (no .mo to go stale)."""
    path = po_path(lang)
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def current() -> str:
    return _language.get() or "en"


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Answer in `lang` inside the block (a request, a test)."""
    token = _language.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    lang = _language.get()
    return translations(lang).gettext(message) if lang else message


def ngettext(singular: str, plural: str, count: int) -> str:
    lang = _language.get()
    if not lang:
        return singular if count == 1 else plural
    return translations(lang).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    lang = _language.get()
    return translations(lang).pgettext(context, message) if lang else message


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    lang = _language.get()
    if not lang:
        return singular if count == 1 else plural
    return translations(lang).npgettext(context, singular, plural, count)


def N_(message: str) -> str:
    """Marks a module-level text for the catalog; `_()` translates it where it is shown."""
    return message


def negotiate(accept_language: str) -> str:
    """es or en from a browser's Accept-Language ("es-MX,es;q=0.9,en;q=0.8" -> es); else Spanish."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = tag.strip().replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES and quality > 0:
            ranked.append((-quality, position, base))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE
