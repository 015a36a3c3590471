"""What actions read from a rasa tracker besides slots: the user's language, contact, phone."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def _metadata(tracker: Tracker) -> dict[str, Any]:
    return tracker.latest_message.get("metadata") or {}


def language(tracker: Tracker) -> str:
    """The language of this turn (the engine's), else of the conversation, else Spanish."""
    return str(_metadata(tracker).get("language") or tracker.get_slot("language") or "es")


def channel(tracker: Tracker) -> str | None:
    found = _metadata(tracker).get("channel")
    return str(found) if found else None


def sender_phone(tracker: Tracker) -> str | None:
    """The number the person writes from, when the channel knows it (WhatsApp)."""
    found = _metadata(tracker).get("phone")
    return str(found) if found else None


def contact_id(tracker: Tracker) -> int | None:
    """Puente's contact id (the sender id in process); None for a sender that is not a contact."""
    sender = str(tracker.sender_id or "")
    return int(sender) if sender.isdigit() else None
