"""How an action gets its services (bot/services.py): injected in process, else from the environment."""

from __future__ import annotations

from bot.services import Services


class NeedsServices:
    """Mixin for actions that use the database or the running content.

    Puente passes its services to the constructor (ActionBridge.from_package); the rasa-sdk
    server constructs actions without arguments, so they are built on first use from the
    environment, once per action.
    """

    def __init__(self, services: Services | None = None) -> None:
        self._services = services

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = Services.from_environ()
        return self._services
