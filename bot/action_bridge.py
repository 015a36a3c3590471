"""The one place that runs rasa-sdk actions in process, through rasa_sdk's ActionExecutor."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from typing import Any

from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor

from bot.engine import ActionCall, ActionResult


class ActionFailed(RuntimeError):
    """An action raised; the turn is not saved, and the user gets an apology."""


@functools.cache
def action_classes(package: str = "actions") -> tuple[tuple[type[Action], bool], ...]:
    """Every concrete rasa-sdk Action class defined in the package's modules, each with whether
    its constructor takes the application's services. Found once per process (every app a
    process builds - the tests build hundreds - instantiates the same classes)."""
    root = importlib.import_module(package)
    found: list[tuple[type[Action], bool]] = []
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                found.append((cls, "services" in inspect.signature(cls).parameters))
    return tuple(found)


class ActionBridge:
    """Builds a rasa tracker from the conversation's slots and turns results into engine terms."""

    def __init__(self, actions: list[Action]) -> None:
        self.executor = ActionExecutor()
        for action in actions:
            self.executor.register_action(action)

    @classmethod
    def from_package(cls, package: str = "actions", services: Any = None) -> ActionBridge:
        """Instantiate every action of the package with the application's services injected."""
        return cls([action(services) if takes_services else action()
                    for action, takes_services in action_classes(package)])

    def names(self) -> set[str]:
        return set(self.executor.actions)

    async def run(
        self, call: ActionCall, sender_id: str, channel: str = "", phone: str | None = None
    ) -> ActionResult:
        payload = {
            "next_action": call.name,
            "sender_id": sender_id,
            "tracker": self.tracker(call, sender_id, channel, phone),
            "domain": self.domain(call),
        }
        try:
            result = await self.executor.run(payload)
        except Exception as error:  # an action's bug must not lose the user's turn silently
            raise ActionFailed(f"action {call.name} failed: {type(error).__name__}") from error
        if result is None:
            return ActionResult()
        slots = tuple(
            (event["name"], event.get("value")) for event in result.events if event.get("event") == "slot"
        )
        return ActionResult(slots=slots, responses=tuple(result.responses))

    @staticmethod
    def form_name(call: ActionCall) -> str | None:
        return call.name.removeprefix("validate_") if call.requested_slot else None

    def tracker(
        self, call: ActionCall, sender_id: str, channel: str = "", phone: str | None = None
    ) -> dict[str, Any]:
        slots = {k: v for k, v in call.slots.items() if not k.startswith("_")}
        events: list[dict[str, Any]] = []
        form = self.form_name(call)
        if form:
            slots["requested_slot"] = call.requested_slot
            events = [
                {"event": "active_loop", "name": form},
                {"event": "slot", "name": call.requested_slot, "value": call.candidate},
            ]
        return {
            "sender_id": sender_id,
            "slots": slots,
            "latest_message": {
                "text": call.text,
                "intent": {},
                "entities": [],
                # The sender's number when the channel knows it (WhatsApp): actions may offer it.
                "metadata": {"language": call.language, "channel": channel, "phone": phone},
            },
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": form} if form else {},
            "latest_action_name": "action_listen",
        }

    @staticmethod
    def domain(call: ActionCall) -> dict[str, Any]:
        form = ActionBridge.form_name(call)
        forms = {form: {"required_slots": [call.requested_slot]}} if form else {}
        return {"forms": forms, "slots": {}, "responses": {}}
