"""The turn function: (state, inbound) -> replies, new state, and at most one action to run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.engine.answers import (
    Miss,
    choice_number,
    match_command,
    match_greeting,
    match_trigger,
    read_choice,
    read_value,
)
from bot.engine.calls import DELETE_EFFECT, ActionCall, ActionNeeded, ActionResult, Turn
from bot.engine.model import MENU, CompiledContent, Step
from bot.engine.moves import Moves
from bot.engine.render import SYSTEM_MENU_PAYLOAD, Formatting, Renderer
from bot.engine.state import ConversationState
from bot.engine.system import SystemQuestions
from bot.messages import Inbound
from bot.nlu.matcher import match_whole
from bot.nlu.normalize import normalize

__all__ = ["DELETE_EFFECT", "ActionCall", "ActionResult", "Engine", "Turn"]


class Engine:
    """Interprets compiled content. Holds no per-user data: every call gets the state it needs."""

    def __init__(
        self,
        content: CompiledContent,
        formatter: Formatting,
        *,
        idle_seconds: float = 6 * 3600,
        max_misses: int = 2,
        default_language: str = "es",
    ) -> None:
        self.content = content
        self.formatter = formatter
        self.idle_seconds = idle_seconds
        self.max_misses = max_misses
        self.default_language = default_language

    # -- entry points -------------------------------------------------------------------------

    def turn(self, state: ConversationState, inbound: Inbound, now: float) -> Turn:
        run = _Run(self, state.copy(), inbound, now)
        return run.finish(run.handle)

    def resume(self, state: ConversationState, result: ActionResult, now: float) -> Turn:
        """Go on after the action named in the previous Turn ran."""
        run = _Run(self, state.copy(), Inbound(channel="", user_key=""), now)
        return run.finish(lambda: run.after_action(result))


class _Run(Moves, SystemQuestions):
    """A turn: reading what the user sent (the other parts move and ask)."""

    # -- the turn -----------------------------------------------------------------------------

    def handle(self) -> None:
        state, inbound = self.state, self.inbound
        idle = state.last_seen is not None and self.now - state.last_seen > self.engine.idle_seconds
        state.last_seen = self.now
        state.cursor = state.cursor_phase = None
        if state.language is None and (state.step is None or inbound.is_start):
            self.first_contact()
            return
        if inbound.is_start:
            state.pending = None
            self.go(MENU if state.step else self._welcome())
            return
        if inbound.choice_id:
            self.button(inbound.choice_id)
            return
        if inbound.media is not None and not inbound.text.strip():
            self.say(self.render.message("media"))
            self.ask_again()
            return
        text = inbound.text
        if not normalize(text) and not self._expects_free_text():
            self.miss("empty" if not text.strip() else "no_words")
            return
        if state.pending:
            self.pending_answer(text)
            return
        step = self.current_step()
        command = match_command(
            self.content, text, self.lang, strict=step is not None and self._free_text(step)
        )
        if command:
            self.command(command)
            return
        if idle and step is not None and step.flow != self.content.menu_flow:
            if self.try_trigger(text, whole=False):
                return
            self.ask_idle()
            return
        if step is None:
            if not self.try_trigger(text, whole=False):
                self.go(MENU)
            return
        self.answer(step, text)

    def first_contact(self) -> None:
        state, inbound = self.state, self.inbound
        # The caller turns platform hints (Telegram language_code, phone country) into a code.
        hint = inbound.language_hint
        suggested = hint if hint in self.content.languages else None
        text = inbound.text if not inbound.is_start else ""
        if text:
            hit = match_trigger(self.content, text, suggested, whole=False, vocabulary=True)
            if hit:
                ref, code = hit
                self.set_language(code)
                self.say(self.render.message("first_topic"))
                self.go(ref)
                return
            named = match_whole(text, self.content.language_phrases)
            if named:
                self.set_language(named)
                self.go(self._welcome())
                return
            suggested = match_greeting(self.content, text) or suggested
        state.slots["_suggested"] = suggested or self.engine.default_language
        self.render = Renderer(self.content, self.engine.formatter, self.lang)
        state.return_to = self._welcome()
        step = self.content.step(self.content.resolve(self.content.language_flow))
        state.step = step.ref
        state.misses = 0
        self.replies.append(self.render.question(step, state.slots, first_contact=True))

    def _welcome(self) -> str:
        return self.content.resolve(self.content.menu_flow + ".welcome") if self.content.has_step(
            self.content.menu_flow + ".welcome"
        ) else MENU

    # -- buttons ------------------------------------------------------------------------------

    def button(self, payload: str) -> None:
        if payload == SYSTEM_MENU_PAYLOAD:
            self.state.pending = None
            self.go(MENU)
            return
        if payload.startswith("sys."):
            if self.state.pending and payload.startswith(f"sys.{self.state.pending}."):
                self.pending_choice(payload.rsplit(".", 1)[-1])
            else:
                self.stale()
            return
        ref, _, choice_id = payload.rpartition(".")
        if not ref or not self.content.has_step(ref) or "." not in ref:
            self.stale()
            return
        step = self.content.step(ref)
        current = self.state.step
        if ref == current and not self.state.pending:
            self.chosen(step, choice_id)
        elif step.navigates_only and any(c.id == choice_id for c in step.choices):
            # An old menu button still goes where it says: menus store nothing.
            self.state.pending = None
            self.chosen(step, choice_id)
        else:
            self.stale()

    def stale(self) -> None:
        self.say(self.render.message("stale_button"))
        self.ask_again()

    # -- answers ------------------------------------------------------------------------------

    def _free_text(self, step: Step) -> bool:
        return not step.choices and step.choices_from is None and step.type not in (
            "choice", "language",
        )

    def _expects_free_text(self) -> bool:
        step = self.current_step()
        return step is not None and not self.state.pending and self._free_text(step) and step.type == "text"

    def answer(self, step: Step, text: str) -> None:
        if step.type == "language" and self.state.language is None:
            greeting = match_greeting(self.content, text)
            if greeting and not match_whole(text, self.content.language_phrases):
                # "bonjou" at the language question: ask again, that language first.
                self.state.slots["_suggested"] = greeting
                self.render = Renderer(self.content, self.engine.formatter, greeting)
                self.replies.append(self.render.question(step, self.state.slots, first_contact=True))
                return
        if self._menu_button_number(step, text):
            self.state.pending = None
            self.go(MENU)
            return
        if not self._free_text(step):
            try:
                picked = read_choice(self.content, step, text, self.lang, self.state.slots)
            except Miss as miss:
                if step.validate:
                    picked = None  # "45" at a phone question: the validation action judges it
                else:
                    if self.try_trigger(text, whole=False) or self.greeted(step, text):
                        return
                    self.miss(miss.reason, miss.values)
                    return
            if picked is not None:
                self.chosen(step, picked)
            elif step.validate and step.slot:
                # Buttons are suggestions here (common countries, the sender's number):
                # any other typed answer goes to the validation action, like a free-text one.
                self.typed(step, text)
            elif not self.try_trigger(text, whole=False) and not self.greeted(step, text):
                self.miss("not_understood")
            return
        self.typed(step, text)

    def typed(self, step: Step, text: str) -> None:
        """A typed answer to a question: checked, then validated by an action or stored."""
        if self.try_trigger(text, whole=True):
            return
        try:
            value = read_value(step, text, self.lang, dt.date.fromtimestamp(self.now))
        except Miss as miss:
            self.miss(miss.reason, miss.values)
            return
        if step.validate:
            self.state.cursor, self.state.cursor_phase = step.ref, "validate"
            raise ActionNeeded(
                ActionCall(
                    step.validate,
                    dict(self.state.slots),
                    self.lang,
                    text=text,
                    requested_slot=step.slot,
                    candidate=value,
                )
            )
        if step.slot:
            self.state.slots[step.slot] = value
        self.accepted(step)

    def _menu_button_number(self, step: Step, text: str) -> bool:
        """After repeated misses a "Main menu" button is added last; its number picks it too
        (on WhatsApp it is a numbered line like the others). Number questions keep their digits."""
        if self.state.misses < self.engine.max_misses or step.flow == self.content.menu_flow:
            return False
        if step.type == "number":
            return False
        number = choice_number(text)
        return number is not None and number == len(self.render.choices(step, self.state.slots)) + 1

    def chosen(self, step: Step, choice_id: str) -> None:
        if step.type == "language":
            if choice_id not in self.content.languages:
                self.stale()
                return
            self.set_language(choice_id)
            self.state.slots.pop("_suggested", None)
            self.state.step = step.ref
            self.accepted(step)
            return
        spec = next((c for c in step.choices if c.id == choice_id), None)
        dynamic_ids = {
            str(item.get("id")) for item in self.state.slots.get(step.choices_from or "", []) or []
            if isinstance(item, dict)
        }
        if spec is None and choice_id not in dynamic_ids:
            self.stale()
            return
        if step.slot:
            self.state.slots[step.slot] = spec.slot_value if spec else choice_id
        self.state.step = step.ref
        self.accepted(step, spec.go if spec else None)

    def miss(self, reason: str, values: Mapping[str, Any] | None = None) -> None:
        step = self.current_step()
        self.state.misses += 1
        if step is not None:
            self.events.append(("miss", step.ref))
        message = self.render.message(reason, values)
        if step is not None and step.hint is not None and reason == "not_understood":
            message = self.render.text(step.hint, self.state.slots)
        self.say(message)
        self.ask_again(offer_menu=self.state.misses >= self.engine.max_misses)

    def greeted(self, step: Step, text: str) -> bool:
        """"hola" (or "bonjou", "hi"...) at the main menu: the menu again, not "I did not understand"."""
        if step.flow != self.content.menu_flow or not match_greeting(self.content, text):
            return False
        self.ask_again()
        return True

    def try_trigger(self, text: str, *, whole: bool) -> bool:
        # Trade names lead to a job search only where a search is what the user is about: at
        # the main menu and in the search itself (not at a registration question, say).
        step = self.current_step()
        vocabulary = (
            step is None or self.state.language is None or step.flow == self.content.menu_flow
            or step.flow in self.content.vocabulary_flows
        )
        hit = match_trigger(self.content, text, self.lang, whole=whole, vocabulary=vocabulary)
        if not hit:
            return False
        ref = self.content.resolve(hit[0])
        if ref == self.state.step:
            return False
        if self.state.language is None:
            self.set_language(hit[1])
        self.state.pending = None
        self.go(ref)
        return True

    # -- global commands and system questions ------------------------------------------------
