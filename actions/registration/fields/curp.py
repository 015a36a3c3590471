"""The CURP: its form and check digit (python-stdnum), the birth date it carries, and what it
cannot be: the example the question shows, or another person's.

What a CURP can contradict for certain is the birth date already given (positions 5-10). Its
sex letter would be certain too, but the form does not ask sex. Its state of birth is not: a
foreign national's CURP says NE (born abroad), yet people born in Mexico or naturalised may hold
a Mexican state with another nationality, so the state is never questioned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.mx import curp as curp_number

from actions.registration.fields.refusal import MIN_AGE, Refusal, age_on

# The example of the CURP question (dialogs/registration.yaml, steps.curp): a valid CURP of
# nobody who writes to us; copied from the question, it would pass every other check.
SAMPLE_CURP = "HEGG560427MVZRRL04"


@dataclass(frozen=True)
class CurpAnswer:
    curp: str
    # The birth date the CURP encodes, when it differs from the one given before: the person
    # is asked which one is right (registration.curp_conflict), nothing is replaced silently.
    conflicting_birth_date: str | None = None


def curp(text: str, today: dt.date, birth: str | None = None) -> CurpAnswer:
    number = curp_number.compact(text)
    if not number.isalnum() or not number.isascii():
        raise Refusal("reg_curp_format")
    if number == SAMPLE_CURP:
        raise Refusal("reg_curp_sample")
    try:
        curp_number.validate(number)
    except stdnum_errors.InvalidLength:
        raise Refusal("reg_curp_length", {"count": len(number)}) from None
    except stdnum_errors.InvalidChecksum:
        raise Refusal("reg_curp_checksum") from None
    except stdnum_errors.InvalidComponent:
        raise Refusal("reg_curp_component") from None
    except stdnum_errors.ValidationError:
        raise Refusal("reg_curp_format") from None
    born = curp_number.get_birth_date(number)
    if age_on(born, today) < MIN_AGE:
        raise Refusal("reg_curp_minor")
    if birth and born.isoformat() != birth:
        return CurpAnswer(number, born.isoformat())
    return CurpAnswer(number)
