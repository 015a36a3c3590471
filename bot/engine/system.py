"""Global commands (menu, back, help, language, delete) and the answers to the bot's own
questions around them (continue or start over? delete everything?)."""

from __future__ import annotations

from bot.engine.answers import choice_number, match_command
from bot.engine.calls import DELETE_EFFECT
from bot.engine.context import TurnContext
from bot.engine.model import MENU
from bot.engine.moves import Moves
from bot.engine.pending import ask_pending, pending_options
from bot.engine.state import ConversationState
from bot.nlu.matcher import match_whole, phrases


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

    def ask_idle(self) -> None:
        self.ctx.state.pending = "idle"
        ask_pending(self.ctx)

    def pending_answer(self, text: str) -> None:
        ctx = self.ctx
        options = pending_options(ctx.state.pending)
        number = choice_number(text)
        if number is not None and 1 <= number <= len(options):
            self.pending_choice(list(options)[number - 1])
            return
        candidates = []
        for key, label in options.items():
            candidates += phrases(key, [ctx.render.message(label)], 2)
        candidates += [p for p in ctx.content.answers.get(ctx.lang, ()) if p.key in options]
        picked = match_whole(text, candidates)
        if picked:
            self.pending_choice(picked)
            return
        command = match_command(ctx.content, text, ctx.lang, strict=False)
        if command:
            ctx.state.pending = None
            self.command(command)
            return
        ctx.state.misses += 1
        ctx.say(ctx.render.message("not_understood"))
        ask_pending(ctx)

    def pending_choice(self, key: str) -> None:
        ctx, moves = self.ctx, self.moves
        kind = ctx.state.pending
        ctx.state.pending = None
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
