"""Moving through the content: entering steps until one waits, actions' results, asking again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.calls import ActionCall, ActionNeeded, ActionResult
from bot.engine.context import TurnContext
from bot.engine.model import DELETE, END, MENU, RETURN, Step
from bot.engine.render import SYSTEM_MENU_PAYLOAD
from bot.messages import Choice

# Steps entered in one turn without waiting for the user: more means a loop in the content.
MAX_STEPS_PER_TURN = 40


class Moves(TurnContext):
    def go(self, target: str, *, remember: bool = True, action_done: bool = False) -> None:
        """Enter `target` and run steps until one waits for the user or an action must run.
        `action_done`: the first step's action has just run (Engine.resume)."""
        previous = self.state.step
        skip_action = action_done
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
                raise ActionNeeded(
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
        self.go(step.ref, action_done=True)

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

    def accepted(self, step: Step, go: str | None = None) -> None:
        self.state.misses = 0
        self.go(go or self.next_of(step))
