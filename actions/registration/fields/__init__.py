"""Reading and checking each answer of the SNE registration form: pure functions, no I/O, one
module per field (the CURP check is curp.py, the phone number phone.py...).

Each function returns the value to keep, or raises Refusal naming the response (in
dialogs/registration.yaml) that explains what is wrong, so the user reads it in their language.
"""

from actions.registration.fields.birth_date import birth_date
from actions.registration.fields.curp import CurpAnswer, curp
from actions.registration.fields.name import full_name
from actions.registration.fields.nationality import nationality
from actions.registration.fields.phone import phone, phone_label
from actions.registration.fields.refusal import ECHO_CHARS, MAX_AGE, MIN_AGE, Refusal, age_on, echo
from actions.registration.fields.residence import PlaceAnswer, municipality, place
from actions.registration.fields.work import experience, languages, trades

__all__ = [
    "ECHO_CHARS", "MAX_AGE", "MIN_AGE", "CurpAnswer", "PlaceAnswer", "Refusal", "age_on", "birth_date",
    "curp", "echo", "experience", "full_name", "languages", "municipality", "nationality", "phone",
    "phone_label", "place", "trades",
]
