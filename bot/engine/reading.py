"""Reading what the user sent: a start, a button, a command, a topic, or an answer to the
question they are at (read by the question's step type)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.engine.answers import (
    Miss, choice_number, match_command, match_greeting, match_greeting_only, match_trigger,
)
from bot.engine.calls import ActionCall, ActionNeeded
from bot.engine.context import TurnContext
from bot.engine.first_contact import KEYWORD_WORDS, FirstContact
from bot.engine.guesses import GUESS_PAYLOAD, OFFERS_SLOT, SWITCH_LANGUAGE_PAYLOAD, Guesses
from bot.engine.handoff import WITH_PERSON
from bot.engine.model import MENU, Step
from bot.engine.moves import Moves
from bot.engine.render import SYSTEM_MENU_PAYLOAD
from bot.engine.steps import step_type
from bot.engine.system import SystemQuestions
from bot.engine.with_person import WithPerson
from bot.nlu.function_words import covered_by
from bot.nlu.normalize import normalize



class Reader:
    """Engine.turn's reading of one inbound message; moves and the bot's questions do the rest."""

    def __init__(self, ctx: TurnContext, moves: Moves, system: SystemQuestions) -> None:
        self.ctx = ctx
        self.moves = moves
        self.system = system
        self.guesses = Guesses(ctx, moves, system.command, system.offer_person)
        self.first = FirstContact(self)

    def handle(self) -> None:
        ctx, moves = self.ctx, self.moves
        state, inbound = ctx.state, ctx.inbound
        idle = state.last_seen is not None and ctx.now - state.last_seen > ctx.options.idle_seconds
        state.last_seen = ctx.now
        state.cursor = state.cursor_phase = None
        if state.slots.get(WITH_PERSON):
            WithPerson(ctx, moves, self.system).handle()
            return
        if state.language is None and (state.step is None or inbound.is_start):
            self.first.first_contact()
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
        if self.guesses.picked_by_number(choice_number(text)):
            return
        state.slots.pop(OFFERS_SLOT, None)
        step = ctx.current_step()
        command = match_command(
            ctx.content, text, ctx.lang, strict=step is not None and step_type(step).free_text(step)
        )
        if command and not self.command_word_in_a_sentence(text, command):
            self.system.command(command)
            return
        if idle and step is not None and step.flow != ctx.content.menu_flow:
            if self.understood(text):
                return
            self.system.ask_idle()
            return
        if step is None:
            if not self.understood(text):
                self.unplaced(text)
            return
        self.answer(step, text)

    def accepts_wordless(self) -> bool:
        step = self.ctx.current_step()
        return (
            step is not None and not self.ctx.state.pending and step_type(step).accepts_wordless(step)
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
        if payload.startswith(GUESS_PAYLOAD):
            self.guesses.picked(payload[len(GUESS_PAYLOAD):])
            return
        if payload == SWITCH_LANGUAGE_PAYLOAD:
            ctx.state.pending = None
            self.system.command("language")
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
        if step_type(step).name == "language" and self.first.kept_first_message():
            return
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
                if not self.understood(text) and not self.greeted(step, text):
                    self.miss(miss.reason, miss.values)
                return
            picked = None  # "45" at a phone question: the validation action judges it
        if picked is not None:
            self.chosen(step, picked)
        elif step.validate and step.slot:
            # Buttons are suggestions here (common countries, the sender's number):
            # any other typed answer goes to the validation action, like a free-text one.
            self.typed(step, text)
        elif not self.understood(text) and not self.greeted(step, text):
            self.unplaced(text)

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

    # -- free text: keywords, then the classifier ----------------------------------------------

    def understood(self, text: str) -> bool:
        """Free text placed and followed. A short message (a few words: what triggers are) is
        read by a topic's keywords first; a sentence by the classifier when it is sure, its
        keywords only when it is not ("me registré pero no me dieron de alta en el IMSS" names
        registration, and is about the IMSS). Then a trade's name (a job search). At a form's
        question the classifier only recognises commands: the form keeps the words."""
        ctx = self.ctx
        short = len(normalize(text).split()) <= KEYWORD_WORDS
        if short and self.try_trigger(text, whole=False, vocabulary=False):
            return True
        form = self.at_form_question(ctx.current_step())
        # At a form's question a word or two is an answer; only a sentence may be a command.
        # A greeting alone is no topic (the menu answers it).
        skip = short and (form or match_greeting_only(ctx.content, normalize(text).split()))
        intent = None if skip else self.guesses.sure_intent(text, commands_only=form)
        if intent is not None and not self.is_here(intent):
            self.guesses.follow(intent)
            return True
        if not short and self.try_trigger(text, whole=False, vocabulary=False):
            return True
        return self.try_trigger(text, whole=False)

    def command_word_in_a_sentence(self, text: str, command: str) -> bool:
        """A command's word inside a sentence about something else ("necesito ayuda, me
        despidieron", "the menu at work makes me sick"): the classifier, when it is sure of
        another intent, reads the sentence. Never at a form's question (commands are exact there),
        and a sentence that may ask to delete data always gets the "are you sure?"."""
        if command == "delete" or len(normalize(text).split()) <= KEYWORD_WORDS:
            return False
        if self.at_form_question(self.ctx.current_step()):
            return False
        intent = self.guesses.sure_intent(text)
        if intent is None or intent == f"cmd.{command}" or self.is_here(intent):
            return False
        self.guesses.follow(intent)
        return True

    def at_form_question(self, step: Step | None) -> bool:
        """A question whose answer is kept (a form's), or the language question."""
        return step is not None and (step.slot is not None or step.flow == self.ctx.content.language_flow)

    def is_here(self, intent: str) -> bool:
        content = self.ctx.content
        if intent == "cmd.language":
            step = self.ctx.current_step()
            return step is not None and step.flow == content.language_flow
        return content.has_step(intent) and content.resolve(intent) == self.ctx.state.step

    def unplaced(self, text: str, *, at_first_message: bool = False) -> None:
        """Free text nothing placed: the likeliest topics as buttons, or (none likely) a word that
        it was not understood and the question again; staff see the message (masked) later.
        Without a classifier, the old way: "not understood" (or the menu when resting)."""
        ctx = self.ctx
        step = ctx.current_step()
        if ctx.understanding is None or self.at_form_question(step):
            if step is None:
                self.moves.go(MENU)
            else:
                self.miss("not_understood")
            return
        if self.guesses.offer(text):
            return
        if step is None or at_first_message:
            self.guesses.not_placed(text)
            return
        self.guesses.note_unplaced(text)
        self.miss("not_understood" if step.hint is not None else "not_placed")

    def try_trigger(self, text: str, *, whole: bool, vocabulary: bool = True) -> bool:
        ctx = self.ctx
        # Trade names lead to a job search only where a search is what the user is about: at
        # the main menu and in the search itself (not at a registration question, say).
        step = ctx.current_step()
        vocabulary = vocabulary and (
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
