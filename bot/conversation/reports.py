"""Delivery status reports: what became of a message the bot sent (sent, delivered, read,
failed...), on its outbound_messages row, counted per day (once, however often the platform
posts it); an opt-out when the platform says the recipient unsubscribed."""

from __future__ import annotations

from collections import Counter

from bot.channels.port import DeliveryReport
from bot.conversation.claims import claim
from bot.conversation.optouts import OptOuts
from bot.conversation.service import ConversationService
from bot.days import mexico_day
from db import delivery_reports
from db.counters import bump


class DeliveryReports:
    def __init__(self, conversations: ConversationService, optouts: OptOuts) -> None:
        self.conversations = conversations
        self.optouts = optouts

    async def record(self, report: DeliveryReport) -> None:
        """Statuses only move forward (db/delivery_reports.py): a late "sent" does not undo "read"."""
        channel, error, status = report.channel, report.error, report.status
        async with self.conversations.ordering.hold(channel, report.recipient):
            moment = self.conversations.now()
            with self.conversations.db.transaction() as conn:
                # A replayed callback (the platform did not get our answer) is claimed like a
                # message: recorded and counted once.
                seen = f"{report.external_id[:64]}:{status[:40]}"
                if not claim(conn, f"{channel}_status"[:16], seen, moment):
                    return
                delivery_reports.report_status(
                    conn, channel, report.external_id[:64], status, error and error[:64], moment
                )
                counts = Counter({(f"{channel}_status", status[:40]): 1})
                if error:
                    counts[(f"{channel}_error", error[:40])] += 1
                bump(conn, mexico_day(moment), counts)
        if report.unsubscribed:
            await self.optouts.mark(channel, report.recipient, True)
