"""Global commands (menu, back, help, language, delete) and the answers to the bot's own
questions around them (continue or start over? delete everything? leave the form for a topic?)."""

from __future__ import annotations

from bot.engine import handoff
from bot.engine.answers import choice_number, match_command
from bot.engine.calls import DELETE_EFFECT
from bot.engine.context import TurnContext
from bot.engine.model import MENU, PERSON
from bot.engine.moves import Moves
from bot.engine.pending import DETOUR_SLOT, ask_pending, pending_options
from bot.engine.state import ConversationState
from bot.nlu.matcher import Phrase, match_whole, phrases

# The bot's yes / no / continue words, as answers to "leave the form for that topic?".
_DETOUR_ANSWERS = {"yes": "go", "no": "stay", "continue": "stay"}


class SystemQuestions:
    def __init__(self, ctx: TurnContext, moves: Moves) -> None:
        self.ctx = ctx
        self.moves = moves

    def command(self, name: str) -> None:
        ctx, moves = self.ctx, self.moves
        state = ctx.state
        if name == "menu":
            moves.go(MENU)
        elif name == "back":
            if state.history:
                target = state.history.pop()
                moves.go(target, remember=False)
            else:
                ctx.say(ctx.render.message("back_unavailable"))
                moves.ask_again()
        elif name == "help":
            ctx.say(ctx.render.message("help"))
            moves.ask_again()
        elif name == "language":
            if state.step and not state.step.startswith(ctx.content.language_flow + "."):
                state.return_to = state.step
            moves.go(ctx.content.language_flow)
        elif name == "delete":
            state.pending = "delete"
            ask_pending(ctx)
        elif name == "person":
            # From any step, a form's question included: its answers stay in the slots.
            moves.go(PERSON)
        else:
            # A command whose words are in dialogs/system.yaml before its branch is here: the
            # question stays, nothing is lost.
            moves.ask_again()

    def offer_person(self) -> None:
        """"Something else" under "did you mean": would a person of the staff help?"""
        self.ctx.state.pending = handoff.OFFER
        ask_pending(self.ctx)

    # -- a topic named in the middle of a form ----------------------------------------------------

    def detour(self, ref: str) -> None:
        """A topic named at a form's question: a topic page is answered here, briefly, and the
        question comes back; anything else (a search, a menu) is asked about before leaving.
        The form's answers stay either way."""
        ctx = self.ctx
        target = ctx.content.step(ref)
        if target.track and target.say is not None and not target.action:
            ctx.events.append(("read", target.ref))
            ctx.say(ctx.render.step_text(target, ctx.state.slots))
            ctx.say(ctx.render.message("detour_continue"))
            self.moves.ask_again()
            return
        ctx.state.slots[DETOUR_SLOT] = ref
        ctx.state.pending = "detour"
        ask_pending(ctx)

    def ask_idle(self) -> None:
        self.ctx.state.pending = "idle"
        ask_pending(self.ctx)

    def pending_answer(self, text: str) -> bool:
        """The answer to the bot's own question; False when a detour question got something else
        (the answer to the form's question itself: the caller reads it there)."""
        ctx = self.ctx
        options = pending_options(ctx.state.pending)
        number = choice_number(text)
        if number is not None and 1 <= number <= len(options):
            self.pending_choice(list(options)[number - 1])
            return True
        candidates = []
        for key, label in options.items():
            candidates += phrases(key, [ctx.render.message(label)], 2)
        words = _DETOUR_ANSWERS if ctx.state.pending == "detour" else {k: k for k in options}
        candidates += [
            Phrase(words[p.key], p.words, p.weight)
            for p in ctx.content.answers.get(ctx.lang, ()) if p.key in words
        ]
        picked = match_whole(text, candidates)
        if picked:
            self.pending_choice(picked)
            return True
        command = match_command(ctx.content, text, ctx.lang, strict=False)
        if command:
            ctx.state.pending = None
            self.command(command)
            return True
        if ctx.state.pending in ("detour", handoff.OFFER, handoff.RATING):
            # Not an answer to the bot's question: the message is read as any other.
            ctx.state.pending = None
            ctx.state.slots.pop(DETOUR_SLOT, None)
            return False
        ctx.state.misses += 1
        ctx.say(ctx.render.message("not_understood"))
        ask_pending(ctx)
        return True

    def pending_choice(self, key: str) -> None:
        ctx, moves = self.ctx, self.moves
        kind = ctx.state.pending
        ctx.state.pending = None
        if kind == "detour":
            target = ctx.state.slots.pop(DETOUR_SLOT, None)
            if key == "go" and isinstance(target, str) and ctx.content.has_step(target):
                moves.go(target)
            else:
                moves.ask_again()
            return
        if kind == handoff.OFFER:
            moves.go(PERSON if key == "yes" else MENU)
            return
        if kind == handoff.RATING:
            handoff.rated(ctx, key)
            moves.go(MENU)
            return
        if kind == "delete":
            if key == "yes":
                ctx.effects.append(DELETE_EFFECT)
                ctx.say(ctx.render.message("deleted"))
                ctx.state = ConversationState(last_seen=None)
                return
            ctx.say(ctx.render.message("not_deleted"))
            moves.ask_again()
            return
        if key == "restart":
            ctx.state.history.clear()
            moves.go(MENU)
        else:
            moves.ask_again()
