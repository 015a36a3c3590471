"""The CURP: its form and check digit (python-stdnum), and the birth date it carries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.mx import curp as curp_number

from actions.registration.fields.refusal import MIN_AGE, Refusal, age_on


@dataclass(frozen=True)
class CurpAnswer:
    curp: str
    # The birth date the CURP encodes, when it differs from the one given before.
    corrected_birth_date: str | None = None


def curp(text: str, today: dt.date, birth: str | None = None) -> CurpAnswer:
    number = curp_number.compact(text)
    if not number.isalnum() or not number.isascii():
        raise Refusal("reg_curp_format")
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


