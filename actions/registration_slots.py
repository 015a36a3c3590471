"""The registration form's slots and questions, and what actions read from a tracker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rasa_sdk import Tracker

if TYPE_CHECKING:
    from bot.app import Services

# (step id in dialogs/registration.yaml, slot it fills), in the order the form asks them.
FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "reg_full_name"),
    ("birth_date", "reg_birth_date"),
    ("nationality", "reg_nationality"),
    ("document", "reg_document"),
    ("curp", "reg_curp"),            # "" when the person has no CURP
    ("phone", "reg_phone"),
    ("state", "reg_state"),
    ("municipality", "reg_municipality"),
    ("education", "reg_education"),
    ("occupation", "reg_trades"),    # [] when the trade was kept as written
    ("experience", "reg_experience"),
    ("languages", "reg_languages"),
    ("relocate", "reg_relocate"),
)
FIELD_SLOTS = tuple(slot for _, slot in FIELDS)

CONSENT_VERSION = "reg_consent_version"
CONSENT_AT = "reg_consent_at"
# Slots that only steer the form or hold buttons; cleared with the answers.
HELPER_SLOTS = (
    "reg_occupation", "reg_occupation_unknown", "reg_countries", "reg_phone_offer",
    "reg_phone_offered", "reg_next", "reg_entry", "reg_review", "reg_edit", "reg_consent",
    "reg_saved", CONSENT_VERSION, CONSENT_AT,
)
ALL_SLOTS = FIELD_SLOTS + HELPER_SLOTS


def language(tracker: Tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("language") or tracker.get_slot("language") or "es")


def sender_phone(tracker: Tracker) -> str | None:
    """The number the person writes from, when the channel knows it (WhatsApp)."""
    metadata = tracker.latest_message.get("metadata") or {}
    found = metadata.get("phone")
    return str(found) if found else None


def contact_id(tracker: Tracker) -> int | None:
    try:
        return int(tracker.sender_id)
    except (TypeError, ValueError):
        return None


def first_missing(slots: dict[str, Any] | Tracker) -> str | None:
    """The step of the first unanswered question, or None when every answer is there."""
    get = slots.get_slot if isinstance(slots, Tracker) else slots.get
    for step, slot in FIELDS:
        if get(slot) is None:
            return step
    return None


class NeedsServices:
    """Mixin for actions that use the database: injected in process, built under `rasa_sdk`."""

    def __init__(self, services: Services | None = None) -> None:
        self._services = services

    @property
    def services(self) -> Services:
        if self._services is None:
            from bot.app import Services

            self._services = Services.from_environ()
        return self._services
