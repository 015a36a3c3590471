"""The turn function: (state, inbound) -> replies, new state, and at most one action to run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
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
from bot.engine.model import DELETE, END, MENU, RETURN, CompiledContent, Step
from bot.engine.render import SYSTEM_MENU_PAYLOAD, Formatting, Renderer
from bot.engine.state import ConversationState
from bot.messages import Choice, Inbound, Outbound
from bot.nlu.matcher import match_whole, phrases
from bot.nlu.normalize import normalize

# Steps entered in one turn without waiting for the user: more means a loop in the content.
MAX_STEPS_PER_TURN = 40
DELETE_EFFECT = "delete_personal_data"


@dataclass(frozen=True)
class ActionCall:
    """An action the caller must run before the turn can go on (see Engine.resume)."""

    name: str
    slots: Mapping[str, Any]
    language: str
    text: str = ""
    requested_slot: str | None = None
    candidate: Any = None


@dataclass(frozen=True)
class ActionResult:
    """What an action returned: slot changes in order, and dispatcher messages."""

    slots: tuple[tuple[str, Any], ...] = ()
    responses: tuple[Mapping[str, Any], ...] = ()


@dataclass
class Turn:
    replies: list[Outbound]
    state: ConversationState
    action: ActionCall | None = None
    effects: list[str] = field(default_factory=list)
    # ("read", step ref) for tracked topics, ("fallback", "lang:msgctxt"), ("miss", step ref), ...
    events: list[tuple[str, str]] = field(default_factory=list)


class _Stop(Exception):
    """Raised inside a turn when an action must run first."""

    def __init__(self, call: ActionCall) -> None:
        self.call = call


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


class _Run:
    """One turn in progress: the mutable working state of Engine.turn / Engine.resume."""

    def __init__(self, engine: Engine, state: ConversationState, inbound: Inbound, now: float) -> None:
        self.engine = engine
        self.content: CompiledContent = engine.content
        self.state = state
        self.inbound = inbound
        self.now = now
        self.replies: list[Outbound] = []
        self.events: list[tuple[str, str]] = []
        self.effects: list[str] = []
        self.steps_entered = 0
        self.render = Renderer(self.content, engine.formatter, self.lang)

    @property
    def lang(self) -> str:
        return (
            self.state.language
            or self.state.slots.get("_suggested")
            or self.engine.default_language
        )

    def finish(self, body: Any) -> Turn:
        action = None
        try:
            body()
        except _Stop as stop:
            action = stop.call
        state = self.state
        if state.language is None and state.step and not state.step.startswith(
            self.content.language_flow + "."
        ):
            # The user left the language question without answering: keep the one we used.
            self.set_language(self.lang)
        self.events.extend(("fallback", ctx) for ctx in self.render.fallbacks)
        return Turn(self.replies, self.state, action, self.effects, self.events)

    def say(self, text: str, choices: tuple[Choice, ...] = ()) -> None:
        if text or choices:
            self.replies.append(Outbound(text, choices))

    def set_language(self, code: str) -> None:
        self.state.language = code
        self.state.slots["language"] = code
        earlier = self.render.fallbacks
        self.render = Renderer(self.content, self.engine.formatter, code)
        self.render.fallbacks = earlier

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
            hit = match_trigger(self.content, text, suggested, whole=False)
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

    def current_step(self) -> Step | None:
        ref = self.state.step
        if ref and self.content.has_step(ref):
            return self.content.step(ref)
        self.state.step = None
        return None

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
                    if self.try_trigger(text, whole=False):
                        return
                    self.miss(miss.reason, miss.values)
                    return
            if picked is not None:
                self.chosen(step, picked)
            elif step.validate and step.slot:
                # Buttons are suggestions here (common countries, the sender's number):
                # any other typed answer goes to the validation action, like a free-text one.
                self.typed(step, text)
            elif not self.try_trigger(text, whole=False):
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
            raise _Stop(
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

    def accepted(self, step: Step, go: str | None = None) -> None:
        self.state.misses = 0
        self.go(go or self.next_of(step))

    def next_of(self, step: Step) -> str:
        if step.branch is not None:
            value = self.state.slots.get(step.branch.slot)
            key = str(value).lower() if isinstance(value, bool) else str(value)
            target = step.branch.cases.get(key) or step.branch.otherwise
            if target:
                return target
        if step.next:
            return step.next
        flow = self.content.flows[step.flow]
        order = list(flow.steps)
        position = order.index(step.id)
        return f"{step.flow}.{order[position + 1]}" if position + 1 < len(order) else MENU

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

    def try_trigger(self, text: str, *, whole: bool) -> bool:
        hit = match_trigger(self.content, text, self.lang, whole=whole)
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

    # -- moving through the content ----------------------------------------------------------

    def go(self, target: str, *, remember: bool = True) -> None:
        """Enter `target` and run steps until one waits for the user or an action must run."""
        previous = self.state.step
        skip_action = False
        while True:
            self.steps_entered += 1
            if self.steps_entered > MAX_STEPS_PER_TURN:
                self.events.append(("loop", target))
                target = MENU if target != self.content.resolve(self.content.menu_flow) else END
            if target == END:
                self.state.step = None
                return
            if target == DELETE:
                self.state.pending = "delete"
                self._pending_question()
                return
            if target == RETURN:
                target = self.state.return_to or MENU
                self.state.return_to = None
                continue
            if target == MENU:
                target = self.content.resolve(self.content.menu_flow)
            if not self.content.has_step(target):
                self.events.append(("dangling", target))
                target = self.content.resolve(self.content.menu_flow)
            target = self.content.resolve(target)
            step = self.content.step(target)
            self.state.slots.update(step.sets)
            if step.action and not skip_action:
                self.state.step = previous
                self.state.cursor, self.state.cursor_phase = step.ref, "after_action"
                # As in Rasa, the action sees the user's latest message ("" after another action).
                raise _Stop(
                    ActionCall(step.action, dict(self.state.slots), self.lang, text=self.inbound.text)
                )
            skip_action = False
            if step.track:
                self.events.append(("read", step.ref))
            if step.waits:
                if step.flow == self.content.menu_flow:
                    self.state.history.clear()  # the menu is the root: nothing is "back" of it
                elif remember and previous and previous != step.ref:
                    self.state.push_history(previous)
                self.state.step = step.ref
                self.state.misses = 0
                self.replies.append(self.render.question(step, self.state.slots))
                return
            if step.say is not None:
                self.say(self.render.step_text(step, self.state.slots))
            target = self.next_of(step)

    def after_action(self, result: ActionResult) -> None:
        state = self.state
        ref, phase = state.cursor, state.cursor_phase
        state.cursor = state.cursor_phase = None
        asked = self.content.step(ref).slot if ref and self.content.has_step(ref) else None
        before = state.slots.get(asked) if asked and phase == "validate" else None
        for name, value in result.slots:
            if name == "requested_slot":
                continue
            if value is None:
                state.slots.pop(name, None)
            else:
                state.slots[name] = value
        self.action_replies(result.responses)
        if ref is None or not self.content.has_step(ref):
            self.go(MENU)
            return
        step = self.content.step(ref)
        if phase == "validate":
            if step.slot and state.slots.get(step.slot) is not None:
                self.accepted(step)
            else:
                if before is not None:
                    # A refused change keeps the earlier answer: nothing invalid is stored,
                    # and nothing valid is lost.
                    state.slots[asked] = before
                state.misses += 1
                self.events.append(("miss", step.ref))
                if not result.responses:
                    self.say(self.render.message("not_understood"))
                self.ask_again(offer_menu=state.misses >= self.engine.max_misses)
            return
        # phase "after_action": the step goes on as if its action had just run.
        self._continue_after_action(step)

    def _continue_after_action(self, step: Step) -> None:
        previous = self.state.step
        if step.track:
            self.events.append(("read", step.ref))
        if step.waits:
            if previous and previous != step.ref:
                self.state.push_history(previous)
            self.state.step = step.ref
            self.state.misses = 0
            self.replies.append(self.render.question(step, self.state.slots))
            return
        if step.say is not None:
            self.say(self.render.step_text(step, self.state.slots))
        self.go(self.next_of(step))

    def action_replies(self, responses: tuple[Mapping[str, Any], ...]) -> None:
        """Dispatcher messages, translated; lines without buttons are sent as one message."""
        lines: list[str] = []
        for response in responses:
            values = {**self.state.slots, **{k: v for k, v in response.items() if v is not None}}
            name = response.get("response") or response.get("template")
            if name and name in self.content.responses:
                text = self.render.text(self.content.responses[name], values)
            else:
                text = str(response.get("text") or "")
            buttons = tuple(
                Choice(str(b.get("payload", "")), str(b.get("title", "")))
                for b in response.get("buttons") or ()
                if isinstance(b, dict) and b.get("payload")
            )
            if buttons:
                self.say("\n".join(lines + [text]).strip(), buttons)
                lines = []
            elif text:
                lines.append(text)
        if lines:
            self.say("\n".join(lines))

    def ask_again(self, *, offer_menu: bool = False) -> None:
        """Repeat the question the user is at, or show the menu if there is none."""
        if self.state.pending:
            self._pending_question()
            return
        step = self.current_step()
        if step is None:
            self.go(MENU)
            return
        question = self.render.question(step, self.state.slots)
        if offer_menu and step.flow == self.content.menu_flow:
            self.say(self.render.message("help"))
        elif offer_menu:
            extra = Choice(SYSTEM_MENU_PAYLOAD, self.render.message("menu_button"))
            if not question.choices:
                self.say(self.render.message("offer_menu"))
            question = question.with_choices(question.choices + (extra,))
        self.replies.append(question)

    # -- global commands and system questions ------------------------------------------------

    def command(self, name: str) -> None:
        state = self.state
        if name == "menu":
            self.go(MENU)
        elif name == "back":
            if state.history:
                target = state.history.pop()
                self.go(target, remember=False)
            else:
                self.say(self.render.message("back_unavailable"))
                self.ask_again()
        elif name == "help":
            self.say(self.render.message("help"))
            self.ask_again()
        elif name == "language":
            if state.step and not state.step.startswith(self.content.language_flow + "."):
                state.return_to = state.step
            self.go(self.content.language_flow)
        elif name == "delete":
            state.pending = "delete"
            self._pending_question()

    def ask_idle(self) -> None:
        self.state.pending = "idle"
        self._pending_question()

    def _pending_options(self) -> dict[str, str]:
        if self.state.pending == "delete":
            return {"yes": "delete_yes", "no": "delete_no"}
        return {"continue": "idle_continue", "restart": "idle_restart"}

    def _pending_question(self) -> None:
        kind = self.state.pending or "idle"
        options = self._pending_options()
        choices = tuple(
            Choice(f"sys.{kind}.{key}", self.render.message(label)) for key, label in options.items()
        )
        self.say(self.render.message("delete_confirm" if kind == "delete" else "idle"), choices)

    def pending_answer(self, text: str) -> None:
        options = list(self._pending_options())
        number = choice_number(text)
        if number is not None and 1 <= number <= len(options):
            self.pending_choice(options[number - 1])
            return
        candidates = []
        for key, label in self._pending_options().items():
            candidates += phrases(key, [self.render.message(label)], 2)
        candidates += [
            p for p in self.content.answers.get(self.lang, ()) if p.key in self._pending_options()
        ]
        picked = match_whole(text, candidates)
        if picked:
            self.pending_choice(picked)
            return
        command = match_command(self.content, text, self.lang, strict=False)
        if command:
            self.state.pending = None
            self.command(command)
            return
        self.state.misses += 1
        self.say(self.render.message("not_understood"))
        self._pending_question()

    def pending_choice(self, key: str) -> None:
        kind = self.state.pending
        self.state.pending = None
        if kind == "delete":
            if key == "yes":
                self.effects.append(DELETE_EFFECT)
                self.say(self.render.message("deleted"))
                self.state = ConversationState(last_seen=None)
                return
            self.say(self.render.message("not_deleted"))
            self.ask_again()
            return
        if key == "restart":
            self.state.history.clear()
            self.go(MENU)
        else:
            self.ask_again()
