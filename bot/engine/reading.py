"""Reading what the user sent: a start, a button, a command, a topic, or an answer to the
question they are at (read by the question's step type)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.engine.answers import Miss, choice_number, match_command, match_greeting, match_trigger
from bot.engine.calls import ActionCall, ActionNeeded
from bot.engine.context import TurnContext
from bot.engine.model import MENU, Step
from bot.engine.moves import Moves
from bot.engine.render import SYSTEM_MENU_PAYLOAD
from bot.engine.steps import step_type
from bot.engine.system import SystemQuestions
from bot.nlu.function_words import covered_by
from bot.nlu.matcher import match_whole
from bot.nlu.normalize import normalize


class Reader:
    """Engine.turn's reading of one inbound message; moves and the bot's questions do the rest."""

    def __init__(self, ctx: TurnContext, moves: Moves, system: SystemQuestions) -> None:
        self.ctx = ctx
        self.moves = moves
        self.system = system

    def handle(self) -> None:
        ctx, moves = self.ctx, self.moves
        state, inbound = ctx.state, ctx.inbound
        idle = state.last_seen is not None and ctx.now - state.last_seen > ctx.options.idle_seconds
        state.last_seen = ctx.now
        state.cursor = state.cursor_phase = None
        if state.language is None and (state.step is None or inbound.is_start):
            self.first_contact()
            return
        if inbound.is_start:
            state.pending = None
            moves.go(MENU if state.step else self.welcome())
            return
        if inbound.choice_id:
            self.button(inbound.choice_id)
            return
        if inbound.media is not None and not inbound.text.strip():
            ctx.say(ctx.render.message("media"))
            moves.ask_again()
            return
        text = inbound.text
        if not normalize(text) and not self.accepts_wordless():
            self.miss("empty" if not text.strip() else "no_words")
            return
        if state.pending and self.system.pending_answer(text):
            return
        step = ctx.current_step()
        command = match_command(
            ctx.content, text, ctx.lang, strict=step is not None and step_type(step).free_text(step)
        )
        if command:
            self.system.command(command)
            return
        if idle and step is not None and step.flow != ctx.content.menu_flow:
            if self.try_trigger(text, whole=False):
                return
            self.system.ask_idle()
            return
        if step is None:
            if not self.try_trigger(text, whole=False):
                moves.go(MENU)
            return
        self.answer(step, text)

    def accepts_wordless(self) -> bool:
        step = self.ctx.current_step()
        return (
            step is not None and not self.ctx.state.pending and step_type(step).accepts_wordless(step)
        )

    def first_contact(self) -> None:
        ctx = self.ctx
        content, state, inbound = ctx.content, ctx.state, ctx.inbound
        # The caller turns platform hints (Telegram language_code, phone country) into a code.
        hint = inbound.language_hint
        suggested = hint if hint in content.languages else None
        text = inbound.text if not inbound.is_start else ""
        if text:
            hit = match_trigger(content, text, suggested, whole=False, vocabulary=True)
            if hit:
                ref, code = hit
                ctx.set_language(code)
                ctx.say(ctx.render.message("first_topic"))
                self.moves.go(ref)
                return
            named = match_whole(text, content.language_phrases)
            if named:
                ctx.set_language(named)
                self.moves.go(self.welcome())
                return
            suggested = match_greeting(content, text) or suggested
        state.slots["_suggested"] = suggested or ctx.options.default_language
        ctx.render_in(ctx.lang)
        state.return_to = self.welcome()
        step = content.step(content.resolve(content.language_flow))
        state.step = step.ref
        state.misses = 0
        ctx.replies.append(
            step_type(step).question(ctx.render, step, state.slots, first_contact=True)
        )

    def welcome(self) -> str:
        content = self.ctx.content
        welcome = content.menu_flow + ".welcome"
        return content.resolve(welcome) if content.has_step(welcome) else MENU

    # -- buttons ------------------------------------------------------------------------------

    def button(self, payload: str) -> None:
        ctx = self.ctx
        if payload == SYSTEM_MENU_PAYLOAD:
            ctx.state.pending = None
            self.moves.go(MENU)
            return
        if payload.startswith("sys."):
            if ctx.state.pending and payload.startswith(f"sys.{ctx.state.pending}."):
                self.system.pending_choice(payload.rsplit(".", 1)[-1])
            else:
                self.stale()
            return
        ref, _, choice_id = payload.rpartition(".")
        if not ref or not ctx.content.has_step(ref) or "." not in ref:
            self.stale()
            return
        step = ctx.content.step(ref)
        if ref == ctx.state.step and not ctx.state.pending:
            self.chosen(step, choice_id)
        elif step.navigates_only and any(c.id == choice_id for c in step.choices):
            # An old menu button still goes where it says: menus store nothing.
            ctx.state.pending = None
            self.chosen(step, choice_id)
        else:
            self.stale()

    def stale(self) -> None:
        self.ctx.say(self.ctx.render.message("stale_button"))
        self.moves.ask_again()

    def chosen(self, step: Step, choice_id: str) -> None:
        picked = step_type(step).choose(self.ctx, step, choice_id)
        if picked is None:
            self.stale()
            return
        self.ctx.state.step = step.ref
        self.moves.accepted(step, picked.go)

    # -- answers ------------------------------------------------------------------------------

    def answer(self, step: Step, text: str) -> None:
        ctx = self.ctx
        kind = step_type(step)
        if kind.intercept(ctx, step, text):
            return
        if self.greeted_at_question(step, text):
            return
        if self.menu_button_number(step, text):
            ctx.state.pending = None
            self.moves.go(MENU)
            return
        if kind.free_text(step):
            self.typed(step, text)
            return
        try:
            picked = kind.read_choice(ctx.content, step, text, ctx.lang, ctx.state.slots)
        except Miss as miss:
            if not step.validate:
                if not self.try_trigger(text, whole=False) and not self.greeted(step, text):
                    self.miss(miss.reason, miss.values)
                return
            picked = None  # "45" at a phone question: the validation action judges it
        if picked is not None:
            self.chosen(step, picked)
        elif step.validate and step.slot:
            # Buttons are suggestions here (common countries, the sender's number):
            # any other typed answer goes to the validation action, like a free-text one.
            self.typed(step, text)
        elif not self.try_trigger(text, whole=False) and not self.greeted(step, text):
            self.miss("not_understood")

    def typed(self, step: Step, text: str) -> None:
        """A typed answer to a question: checked, then validated by an action or stored."""
        ctx = self.ctx
        if self.try_trigger(text, whole=True):
            return
        try:
            value = step_type(step).read_value(step, text, ctx.lang, dt.date.fromtimestamp(ctx.now))
        except Miss as miss:
            self.miss(miss.reason, miss.values)
            return
        if step.validate:
            ctx.state.cursor, ctx.state.cursor_phase = step.ref, "validate"
            raise ActionNeeded(
                ActionCall(
                    step.validate,
                    dict(ctx.state.slots),
                    ctx.lang,
                    text=text,
                    requested_slot=step.slot,
                    candidate=value,
                )
            )
        if step.slot:
            ctx.state.slots[step.slot] = value
        self.moves.accepted(step)

    def menu_button_number(self, step: Step, text: str) -> bool:
        """After repeated misses a "Main menu" button is added last; its number picks it too
        (on WhatsApp it is a numbered line like the others)."""
        ctx = self.ctx
        kind = step_type(step)
        if ctx.state.misses < ctx.options.max_misses or step.flow == ctx.content.menu_flow:
            return False
        if kind.digits_are_answers:
            return False
        number = choice_number(text)
        shown = kind.buttons(ctx.render, step, ctx.state.slots)
        return number is not None and number == len(shown) + 1

    def miss(self, reason: str, values: Mapping[str, Any] | None = None) -> None:
        ctx = self.ctx
        step = ctx.current_step()
        ctx.state.misses += 1
        if step is not None:
            ctx.events.append(("miss", step.ref))
        message = ctx.render.message(reason, values)
        if step is not None and step.hint is not None and reason == "not_understood":
            message = ctx.render.text(step.hint, ctx.state.slots)
        ctx.say(message)
        self.moves.ask_again(offer_menu=ctx.state.misses >= ctx.options.max_misses)

    def greeted_at_question(self, step: Step, text: str) -> bool:
        """"hola" (or "bonjou, bon dia"...) at a question is a greeting, never the answer (a
        state, a name): a greeting back and the question again, nothing stored or refused."""
        if step.slot is None:
            return False
        typed = tuple(normalize(text).split())
        if not any(covered_by(typed, group) for group in self.ctx.content.greetings.values()):
            return False
        self.ctx.say(self.ctx.render.message("greeting_again"))
        self.moves.ask_again()
        return True

    def greeted(self, step: Step, text: str) -> bool:
        """"hola" (or "bonjou", "hi"...) at the main menu: the menu again, not "not understood"."""
        if step.flow != self.ctx.content.menu_flow or not match_greeting(self.ctx.content, text):
            return False
        self.moves.ask_again()
        return True

    def try_trigger(self, text: str, *, whole: bool) -> bool:
        ctx = self.ctx
        # Trade names lead to a job search only where a search is what the user is about: at
        # the main menu and in the search itself (not at a registration question, say).
        step = ctx.current_step()
        vocabulary = (
            step is None or ctx.state.language is None or step.flow == ctx.content.menu_flow
            or step.flow in ctx.content.vocabulary_flows
        )
        hit = match_trigger(ctx.content, text, ctx.lang, whole=whole, vocabulary=vocabulary)
        if not hit:
            return False
        ref = ctx.content.resolve(hit[0])
        if ref == ctx.state.step:
            return False
        if ctx.state.language is None:
            ctx.set_language(hit[1])
        self.follow_topic(ref)
        return True

    def follow_topic(self, ref: str) -> None:
        """Go to the topic the user named; in the middle of a form, answer it briefly or ask
        before leaving (SystemQuestions.detour), so that the form's thread is not lost."""
        ctx = self.ctx
        ctx.state.pending = None
        step = ctx.current_step()
        if step is not None and in_form(ctx, step) and ref.partition(".")[0] != step.flow:
            self.system.detour(ref)
            return
        self.moves.go(ref)


def in_form(ctx: TurnContext, step: Step) -> bool:
    """A question of a form: one that keeps an answer, in a flow that asks several answers a
    validation action checks (the registration). A flow with one such question (the support's
    state) is left for a topic at once: nothing is lost there."""
    if step.slot is None or step.flow == ctx.content.menu_flow:
        return False
    flow = ctx.content.flows.get(step.flow)
    return flow is not None and sum(1 for s in flow.steps.values() if s.validate) > 1
