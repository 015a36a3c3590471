"""The phone number: a number that can receive calls or WhatsApp (phonenumbers), in E.164."""

from __future__ import annotations

import re

import phonenumbers

from actions.registration.fields.refusal import Refusal

_PHONE_CHARS = re.compile(r"^[\d\s()+.\-]+$")


def phone(text: str) -> str:
    """A phone number in E.164 ('+525512345678'); Mexican numbers may be written nationally."""
    raw = text.strip().removeprefix("whatsapp:")
    if any(c.isalpha() for c in raw):
        raise Refusal("reg_phone_letters")
    if not _PHONE_CHARS.match(raw):
        raise Refusal("reg_phone_symbols")
    digits = re.sub(r"\D", "", raw)
    international = raw.lstrip().startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]
    if not international:
        # Old Mexican prefixes: 044/045 (mobile), 01 (long distance), 1 (mobile from abroad).
        for prefix, length in (("044", 13), ("045", 13), ("01", 12), ("1", 11)):
            if digits.startswith(prefix) and len(digits) == length:
                digits = digits[len(prefix):]
        if len(digits) != 10:
            raise Refusal("reg_phone_length", {"count": len(digits)})
        digits = "52" + digits
    if digits.startswith("521") and len(digits) == 13:
        digits = "52" + digits[3:]  # some WhatsApp stacks still report Mexican mobiles as +52 1
    try:
        number = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        raise Refusal("reg_phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise Refusal("reg_phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_label(e164: str) -> str:
    """'+525512345678' -> '+52 55 1234 5678', as people read it."""
    number = phonenumbers.parse(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


