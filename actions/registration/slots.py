"""The registration form's slots and questions, in the order the form asks them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

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

# The birth date a new CURP encodes when it differs from the one given, until the person says
# which is right (registration.curp_conflict answers reg_curp_check: "curp" or "retype").
CURP_CONFLICT = "reg_curp_conflict"
CURP_CHECK = "reg_curp_check"

CONSENT_VERSION = "reg_consent_version"
CONSENT_AT = "reg_consent_at"
# Slots that only steer the form or hold buttons; cleared with the answers.
HELPER_SLOTS = (
    "reg_occupation", "reg_occupation_unknown", "reg_countries", "reg_phone_offer",
    "reg_phone_offered", "reg_next", "reg_entry", "reg_review", "reg_edit", "reg_consent",
    "reg_saved", CONSENT_VERSION, CONSENT_AT, CURP_CONFLICT, CURP_CHECK,
)
ALL_SLOTS = FIELD_SLOTS + HELPER_SLOTS


def first_missing(slots: dict[str, Any] | Tracker) -> str | None:
    """The step of the first unanswered question, or None when every answer is there."""
    get = slots.get_slot if isinstance(slots, Tracker) else slots.get
    for step, slot in FIELDS:
        if get(slot) is None:
            return step
        if slot == "reg_curp" and get(CURP_CONFLICT):
            return "curp_conflict"
    return None


def settle_curp_conflict(slots: Tracker) -> tuple[list[dict[str, Any]], str | None]:
    """The answer to "which birth date is right?": the CURP's (it becomes the birth date) or the
    one typed before (the CURP is asked again). Events, and the response that says what changed."""
    conflict, check = slots.get_slot(CURP_CONFLICT), slots.get_slot(CURP_CHECK)
    if not conflict or check not in ("curp", "retype"):
        return [], None
    events = [SlotSet(CURP_CONFLICT, None), SlotSet(CURP_CHECK, None)]
    if check == "curp":
        return events + [SlotSet("reg_birth_date", conflict)], "reg_curp_birth_corrected"
    return events + [SlotSet("reg_curp", None)], None


def clear_form() -> list[dict[str, Any]]:
    """Every answer and helper slot emptied: the form starts again."""
    return [SlotSet(slot, None) for slot in ALL_SLOTS]
