"""The admin's words marked for translation. The admin in Spanish and English (Babel catalogs)
arrives with another branch, whose module of this name replaces this one; until then `_`
shows the English as written (`N_` marks a module-level text, translated where it is shown)."""

from __future__ import annotations

from typing import Any


def _(message: str) -> str:
    return message


def N_(message: str) -> str:
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def template_gettext(message: str, **values: Any) -> str:
    """`{{ _("Text %(name)s", name=value) }}` in a template, as Jinja's i18n extension in its
    new style does: values put in with %, so a literal % is written %%."""
    return message % values
