"""The languages Puente speaks, Spanish first: the source language of every text.

A leaf module (it imports nothing from bot), so that engine, nlu, content, i18n and the
commands can all read the list without importing one another.
"""

LANGUAGES: tuple[str, ...] = ("es", "ht", "fr", "en", "pt")
SOURCE_LANGUAGE = "es"
