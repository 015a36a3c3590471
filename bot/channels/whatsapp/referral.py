"""WhatsApp's referral: a poster's link (https://wa.me/<number>?text=...) prefills a first
message carrying an organization's code ("Hola, vengo de #albergue_tapachula"); that message,
and nothing else, sets the person's referral. WhatsApp has no /start payload, so the code must
ride in the text the person sends.

Strict on purpose: "vengo de Honduras" is what many people write on their own, so only the
prefilled form with its `#` before a code counts (the words in any case, spaces as typed, an
optional full stop; the code exactly as printed)."""

from __future__ import annotations

import re

from bot.messages import REFERRAL_CODE

# What the link prefills: Spanish, the network's common language; the person only taps Send.
PREFILLED = "Hola, vengo de #{code}"

_MESSAGE = re.compile(r"\s*hola\s*,?\s+vengo\s+de\s+#(?P<code>\S+?)\s*[.!]?\s*", re.IGNORECASE)


def prefilled_message(code: str) -> str:
    if not REFERRAL_CODE.fullmatch(code):
        raise ValueError(f"not a referral code: {code!r}")
    return PREFILLED.format(code=code)


def referral_in(body: str) -> str | None:
    """The code when the whole message is a poster's prefilled message; None for anything else."""
    if len(body) > 80:
        return None
    found = _MESSAGE.fullmatch(body)
    if found is None or not REFERRAL_CODE.fullmatch(found["code"]):
        return None
    return found["code"]
