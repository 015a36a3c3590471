"""Messages while a person of the staff has the conversation: the bot stays silent and hands the
words on (TurnContext.handoff = ("message", text)), except for global commands: «menú» (or
«atrás», or a /start) goes back to the bot and ends the handoff, «borrar mis datos» still asks
and deletes; other commands get a reminder of where the person is."""

from __future__ import annotations

from bot.engine import handoff
from bot.engine.answers import match_command
from bot.engine.context import TurnContext
from bot.engine.model import MENU
from bot.engine.moves import Moves
from bot.engine.render import SYSTEM_MENU_PAYLOAD
from bot.engine.system import SystemQuestions

# Commands that take the person back to the bot.
BACK_TO_BOT = ("menu", "back")


class WithPerson:
    def __init__(self, ctx: TurnContext, moves: Moves, system: SystemQuestions) -> None:
        self.ctx = ctx
        self.moves = moves
        self.system = system

    def handle(self) -> None:
        ctx = self.ctx
        inbound = ctx.inbound
        if inbound.is_start:
            self.back_to_bot()
            return
        if inbound.choice_id:
            self.button(inbound.choice_id)
            return
        text = inbound.text
        if ctx.state.pending and self.system.pending_answer(text):
            return
        command = match_command(ctx.content, text, ctx.lang, strict=True) if text.strip() else None
        if command in BACK_TO_BOT:
            self.back_to_bot()
        elif command == "delete":
            self.system.command("delete")
        elif command is not None:
            ctx.say(ctx.render.message("handoff_waiting"))
        elif inbound.media is not None and not text.strip():
            ctx.say(ctx.render.message("handoff_media"))
        elif text.strip():
            ctx.handoff = (handoff.MESSAGE, text)

    def button(self, payload: str) -> None:
        ctx = self.ctx
        if payload == SYSTEM_MENU_PAYLOAD:
            self.back_to_bot()
        elif ctx.state.pending and payload.startswith(f"sys.{ctx.state.pending}."):
            self.system.pending_choice(payload.rsplit(".", 1)[-1])
        else:
            ctx.say(ctx.render.message("handoff_waiting"))

    def back_to_bot(self) -> None:
        self.ctx.state.pending = None
        handoff.end(self.ctx)
        self.moves.go(MENU)
