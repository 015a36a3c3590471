"""What actions use (settings, database, formatter, the running content), built once per process.

A leaf of the application: it knows nothing of the conversation, the channels or the web.
Puente builds the services in bot/app.py and hands them to every action; actions served by
`python -m rasa_sdk --actions actions` build theirs with `Services.from_environ()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.action_bridge import ActionBridge
from bot.content.live import LiveContent, engine_factory
from bot.content.loader import load_content
from bot.content.source import ContentSource
from bot.engine import CompiledContent
from bot.i18n import Formatter
from bot.settings import Settings
from db.database import Database


@dataclass
class Services:
    """What actions and channels may use; built once per process and passed in."""

    settings: Settings
    db: Database
    formatter: Formatter
    # The content revision running now; build_app sets it (actions read data files from it).
    live: LiveContent | None = None

    @classmethod
    def from_environ(cls) -> Services:
        """For actions served by `python -m rasa_sdk`: configuration from the environment."""
        return build_services(Settings.from_environ())

    def content(self) -> CompiledContent:
        """The content workers run now; under the rasa-sdk server, the files of CONTENT_DIR."""
        if self.live is None:
            content = load_files(self.settings, ActionBridge.from_package("actions"))
            self.live = LiveContent(content, engine_factory(self.settings, self.formatter))
        return self.live.content


def build_services(settings: Settings) -> Services:
    return Services(settings=settings, db=Database(settings.database_url), formatter=Formatter())


def load_files(settings: Settings, bridge: ActionBridge) -> CompiledContent:
    """The content pack of CONTENT_DIR, checked against the actions the bridge knows."""
    return load_content(ContentSource.from_directory(settings.content_dir), bridge.names())
