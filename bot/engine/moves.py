"""Moving through the content: entering steps until one waits, actions' results, asking again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.engine import handoff
from bot.engine.calls import ActionCall, ActionNeeded, ActionResult
from bot.engine.context import TurnContext
from bot.engine.model import DELETE, END, MENU, PERSON, RETURN, Step
from bot.engine.pending import ask_pending
from bot.engine.render import SYSTEM_MENU_PAYLOAD
from bot.engine.steps import step_type
from bot.messages import Choice

# Steps entered in one turn without waiting for the user: more means a loop in the content.
MAX_STEPS_PER_TURN = 40


class Moves:
    """Where the conversation goes next; every change lands in the turn's context."""

    def __init__(self, ctx: TurnContext) -> None:
        self.ctx = ctx

    def go(self, target: str, *, remember: bool = True, action_done: bool = False) -> None:
        """Enter `target` and run steps until one waits for the user or an action must run.
        `action_done`: the first step's action has just run (Engine.resume)."""
        ctx = self.ctx
        previous = ctx.state.step
        skip_action = action_done
        while True:
            ctx.steps_entered += 1
            if ctx.steps_entered > MAX_STEPS_PER_TURN:
                ctx.events.append(("loop", target))
                target = MENU if target != ctx.content.resolve(ctx.content.menu_flow) else END
            if target == END:
                ctx.state.step = None
                return
            if target == DELETE:
                ctx.state.pending = "delete"
                ask_pending(ctx)
                return
            if target == PERSON:
                handoff.request(ctx)
                return
            if target == RETURN:
                target = ctx.state.return_to or MENU
                ctx.state.return_to = None
                continue
            if target == MENU:
                target = ctx.content.resolve(ctx.content.menu_flow)
            if not ctx.content.has_step(target):
                ctx.events.append(("dangling", target))
                target = ctx.content.resolve(ctx.content.menu_flow)
            target = ctx.content.resolve(target)
            step = ctx.content.step(target)
            ctx.state.slots.update(step.sets)
            if step.action and not skip_action:
                ctx.state.step = previous
                ctx.state.cursor, ctx.state.cursor_phase = step.ref, "after_action"
                # As in Rasa, the action sees the user's latest message ("" after another action).
                raise ActionNeeded(
                    ActionCall(step.action, dict(ctx.state.slots), ctx.lang, text=ctx.inbound.text)
                )
            skip_action = False
            if step.track:
                ctx.events.append(("read", step.ref))
            kind = step_type(step)
            if kind.waits(step):
                if step.flow == ctx.content.menu_flow:
                    ctx.state.history.clear()  # the menu is the root: nothing is "back" of it
                elif remember and previous and previous != step.ref:
                    ctx.state.push_history(previous)
                ctx.state.step = step.ref
                ctx.state.misses = 0
                ctx.replies.append(kind.question(ctx.render, step, ctx.state.slots))
                return
            if step.say is not None:
                ctx.say(ctx.render.step_text(step, ctx.state.slots))
            target = self.next_of(step)

    def after_action(self, result: ActionResult) -> None:
        ctx = self.ctx
        state = ctx.state
        ref, phase = state.cursor, state.cursor_phase
        state.cursor = state.cursor_phase = None
        asked = ctx.content.step(ref).slot if ref and ctx.content.has_step(ref) else None
        before = state.slots.get(asked) if asked and phase == "validate" else None
        for name, value in result.slots:
            if name == "requested_slot":
                continue
            if value is None:
                state.slots.pop(name, None)
            else:
                state.slots[name] = value
        self.action_replies(result.responses)
        if ref is None or not ctx.content.has_step(ref):
            self.go(MENU)
            return
        step = ctx.content.step(ref)
        if phase == "validate":
            if step.slot and state.slots.get(step.slot) is not None:
                self.accepted(step)
            else:
                if before is not None:
                    # A refused change keeps the earlier answer: nothing invalid is stored,
                    # and nothing valid is lost.
                    state.slots[asked] = before
                state.misses += 1
                ctx.events.append(("miss", step.ref))
                if not result.responses:
                    ctx.say(ctx.render.message("not_understood"))
                self.ask_again(offer_menu=state.misses >= ctx.options.max_misses)
            return
        # phase "after_action": the step goes on as if its action had just run.
        self.go(step.ref, action_done=True)

    def action_replies(self, responses: tuple[Mapping[str, Any], ...]) -> None:
        """Dispatcher messages, translated; lines without buttons are sent as one message."""
        ctx = self.ctx
        lines: list[str] = []
        for response in responses:
            values = {**ctx.state.slots, **{k: v for k, v in response.items() if v is not None}}
            name = response.get("response") or response.get("template")
            if name and name in ctx.content.responses:
                text = ctx.render.text(ctx.content.responses[name], values)
            else:
                text = str(response.get("text") or "")
            buttons = tuple(
                Choice(str(b.get("payload", "")), str(b.get("title", "")))
                for b in response.get("buttons") or ()
                if isinstance(b, dict) and b.get("payload")
            )
            if buttons:
                ctx.say("\n".join(lines + [text]).strip(), buttons)
                lines = []
            elif text:
                lines.append(text)
        if lines:
            ctx.say("\n".join(lines))

    def ask_again(self, *, offer_menu: bool = False) -> None:
        """Repeat the question the user is at, or show the menu if there is none."""
        ctx = self.ctx
        if ctx.state.pending:
            ask_pending(ctx)
            return
        if ctx.state.slots.get(handoff.WITH_PERSON):
            # The conversation rests with a person of the staff: no question to repeat.
            ctx.say(ctx.render.message("handoff_waiting"))
            return
        step = ctx.current_step()
        if step is None:
            self.go(MENU)
            return
        kind = step_type(step)
        # After an answer that did not fit, the question alone (a consent: not the whole notice).
        ask = kind.asked_again if ctx.state.misses else kind.question
        question = ask(ctx.render, step, ctx.state.slots)
        if offer_menu and step.flow == ctx.content.menu_flow:
            ctx.say(ctx.render.message("help"))
        elif offer_menu:
            extra = Choice(SYSTEM_MENU_PAYLOAD, ctx.render.message("menu_button"))
            if not question.choices:
                ctx.say(ctx.render.message("offer_menu"))
            if ctx.state.misses == ctx.options.max_misses:
                self.hint_person()
            question = question.with_choices(question.choices + (extra,))
        ctx.replies.append(question)

    def hint_person(self) -> None:
        """After repeated misses: a person may understand what the bot did not (added to the
        miss's message, so the turn's replies stay as many)."""
        ctx = self.ctx
        hint = ctx.render.message("handoff_hint")
        if ctx.replies and not ctx.replies[-1].choices:
            last = ctx.replies[-1]
            ctx.replies[-1] = replace(last, text=f"{last.text}\n\n{hint}")
        else:
            ctx.say(hint)

    def next_of(self, step: Step) -> str:
        ctx = self.ctx
        if step.branch is not None:
            value = ctx.state.slots.get(step.branch.slot)
            key = str(value).lower() if isinstance(value, bool) else str(value)
            target = step.branch.cases.get(key) or step.branch.otherwise
            if target:
                return target
        if step.next:
            return step.next
        flow = ctx.content.flows[step.flow]
        order = list(flow.steps)
        position = order.index(step.id)
        return f"{step.flow}.{order[position + 1]}" if position + 1 < len(order) else MENU

    def accepted(self, step: Step, go: str | None = None) -> None:
        ctx = self.ctx
        ctx.state.misses = 0
        self.go(go or self.next_of(step))
