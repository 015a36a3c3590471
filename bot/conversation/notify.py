"""Messages the bot sends first (alerts, staff replies): the port features call
(`app.notifier`); bot/conversation/notifier.py is the real one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from bot.messages import Outbound


@dataclass(frozen=True)
class Template:
    """An approved WhatsApp template (Twilio ContentSid) for use outside the 24-hour window."""

    content_sid: str
    variables: Mapping[str, str] = field(default_factory=dict)


class DeliveryStatus(str, Enum):
    SENT = "sent"
    NOT_SENDABLE = "not_sendable"  # outside WhatsApp's 24-hour window and no template
    OPTED_OUT = "opted_out"        # STOP on WhatsApp, or the Telegram bot was blocked
    FAILED = "failed"


@dataclass(frozen=True)
class Delivery:
    status: DeliveryStatus
    detail: str = ""


class Notifier(Protocol):
    async def send(
        self,
        contact_id: int,
        messages: Sequence[Outbound],
        *,
        template: Template | None = None,
        kind: str = "alert",
    ) -> Delivery: ...
