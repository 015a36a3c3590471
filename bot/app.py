"""Composition root: builds the database, content, actions and services from Settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.action_bridge import ActionBridge
from bot.channels.hub import Channels, build_channels
from bot.content.live import LiveContent, engine_factory
from bot.content.revisions import ContentRevisions
from bot.engine import CompiledContent
from bot.conversation import ConversationService
from bot.notify import Notifier
from bot.services import Services, build_services, load_files
from bot.settings import Settings
from db.database import Database
from db.migrate import upgrade

log = logging.getLogger("puente")


@dataclass
class App:
    settings: Settings
    services: Services
    db: Database
    bridge: ActionBridge
    live: LiveContent
    conversations: ConversationService
    revisions: ContentRevisions
    # Telegram / WhatsApp (when configured), the Notifier for messages the bot sends first.
    channels: Channels

    @property
    def notifier(self) -> Notifier:
        return self.channels.notifier

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
        _ensure_sqlite_dir(settings.database_url)
        upgrade(services.db)
    bridge = ActionBridge.from_package("actions", services)
    revisions = ContentRevisions(services.db, settings.content_dir, bridge.names())
    # Workers run the newest published revision (else the files) and switch to a newer one
    # on the next turn after staff publish (LiveContent.refresh -> revisions.newer).
    initial = content or revisions.newest_compiled() or load_files(settings, bridge)
    live = LiveContent(initial, engine_factory(settings, services.formatter), newer=revisions.newer)
    services.live = live
    conversations = ConversationService(services.db, live, bridge)
    channels = build_channels(settings, conversations, live)
    return App(settings, services, services.db, bridge, live, conversations, revisions, channels)


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
