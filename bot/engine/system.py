"""Global commands (menu, back, help, language, delete) and the bot's own questions around them."""

from __future__ import annotations

from bot.engine.answers import choice_number, match_command
from bot.engine.calls import DELETE_EFFECT
from bot.engine.context import TurnContext
from bot.engine.model import MENU
from bot.engine.state import ConversationState
from bot.messages import Choice
from bot.nlu.matcher import match_whole, phrases


class SystemQuestions(TurnContext):
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
