"""Composition root: builds the database, content, actions, the conversation and the
channels (with their API clients) from Settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.action_bridge import ActionBridge
from bot.channels.pacing import Pace, pace_for
from bot.channels.port import ChannelPort
from bot.content.live import LiveContent, engine_factory
from bot.content.revisions import ContentRevisions
from bot.conversation.inbox import Inbox
from bot.conversation.notifier import ChannelNotifier
from bot.conversation.optouts import OptOuts
from bot.conversation.outbox import Outbox
from bot.conversation.reports import DeliveryReports
from bot.conversation.service import ConversationService
from bot.engine import CompiledContent
from bot.messages import Notifier
from bot.metrics import Metrics
from bot.services import Services, build_services, load_files
from bot.settings import Settings
from db.database import Database, ensure_sqlite_dir

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel
    from bot.channels.whatsapp.channel import WhatsAppChannel

log = logging.getLogger("puente")


@dataclass
class Channels:
    """The channels of this process; a channel whose settings are absent is None (off)."""

    telegram: TelegramChannel | None = None
    whatsapp: WhatsAppChannel | None = None

    def ports(self) -> dict[str, ChannelPort[Any, Any]]:
        return {c.name: c for c in (self.telegram, self.whatsapp) if c is not None}

    async def close(self) -> None:
        """Close the HTTP connection pools (at the web app's shutdown, or after a command)."""
        for channel in (self.telegram, self.whatsapp):
            if channel is not None:
                await channel.close()


@dataclass
class App:
    settings: Settings
    services: Services
    db: Database
    bridge: ActionBridge
    live: LiveContent
    conversations: ConversationService
    revisions: ContentRevisions
    metrics: Metrics
    optouts: OptOuts
    # What the channels receive, handled by the conversation.
    inbox: Inbox
    channels: Channels
    _notifier: tuple[Channels, ChannelNotifier] | None = field(default=None, repr=False)

    @property
    def notifier(self) -> Notifier:
        """Messages the bot sends first, through the channels the app has now."""
        if self._notifier is None or self._notifier[0] is not self.channels:
            ports = self.channels.ports()
            outbox = Outbox(self.conversations, self.optouts, self.metrics, ports)
            notifier = ChannelNotifier(self.conversations, self.optouts, self.metrics, ports, outbox)
            self._notifier = (self.channels, notifier)
        return self._notifier[1]

    @property
    def outbox(self) -> Outbox:
        """Messages sent through the platforms' APIs, tried again until accepted (bot/jobs/)."""
        self.notifier  # noqa: B018 - built with it, for the same channels
        assert self._notifier is not None
        return self._notifier[1].outbox

    def close(self) -> None:
        self.db.dispose()

    async def aclose(self) -> None:
        """Close what belongs to the event loop (HTTP connection pools of the channels)."""
        await self.channels.close()


def build_app(
    settings: Settings, *, migrate: bool = True, content: CompiledContent | None = None
) -> App:
    """Everything the bot needs. Raises ContentInvalid (with file and line) on broken content."""
    services = build_services(settings)
    if migrate:
        # Imported here: alembic (with mako and pygments, about 8 MB) stays out of the
        # processes that serve (`puente serve` migrates in a child process first).
        from db.migrate import upgrade

        ensure_sqlite_dir(settings.database_url)
        upgrade(services.db)
    bridge = ActionBridge.from_package("actions", services)
    revisions = ContentRevisions(services.db, settings.content_dir, bridge.names())
    # Workers run the newest published revision (else the files) and switch to a newer one
    # on the next turn after staff publish (LiveContent.refresh -> revisions.newer).
    initial = content or revisions.newest_compiled() or load_files(settings, bridge)
    live = LiveContent(initial, engine_factory(settings, services.formatter), newer=revisions.newer)
    services.live = live
    conversations = ConversationService(services.db, live, bridge)
    metrics = Metrics()
    optouts = OptOuts(conversations)
    inbox = Inbox(
        conversations, optouts, DeliveryReports(conversations, optouts), metrics,
        default_language=settings.default_language,
    )
    channels = build_channels(settings, live, metrics)
    return App(
        settings, services, services.db, bridge, live, conversations, revisions, metrics, optouts, inbox,
        channels,
    )


def build_channels(
    settings: Settings, live: LiveContent, metrics: Metrics, *, pace: Pace | None = None
) -> Channels:
    """The configured channels with their API clients (the SDKs are imported only for them).
    Their send budgets are shared through Redis when REDIS_URL is set."""
    pace = pace or pace_for(settings.redis_url)
    channels = Channels()
    if settings.telegram_enabled:
        from bot.channels.telegram.api import TelegramClient
        from bot.channels.telegram.channel import TelegramChannel

        channels.telegram = TelegramChannel(
            TelegramClient(settings, pace), metrics, settings.telegram_webhook_secret
        )
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp.api import WhatsAppClient
        from bot.channels.whatsapp.channel import WhatsAppChannel

        def list_button(language: str | None) -> str:
            return live.content.messages["list_button"].get(language or settings.default_language)[0]

        channels.whatsapp = WhatsAppChannel(settings, WhatsAppClient(settings, pace), list_button)
    return channels


