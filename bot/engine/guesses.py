"""The classifier stage of reading free text, after buttons, numbers and keywords: an intent the
model is sure of is followed; a few likely ones are offered as buttons ("Did you mean...?" and
"Something else"); a message nothing could place is noted for staff and answered with the menu.
Also the language of a first message: the model's guess weighed with the platform's hint.

Thresholds (docs/development.md, "How understanding works"): confidences are calibrated in
cross-validation (`puente nlu test`), so GO = 0.6 means about 95% of followed guesses are right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.engine.context import UNPLACED_SLOT, TurnContext
from bot.engine.model import MENU, PERSON, CompiledContent, LocalText
from bot.engine.moves import Moves
from bot.messages import Choice
from bot.nlu.understanding import Reading

GO = 0.6
# An intent offered as a button needs at least this much confidence; at most MAX_OFFERS are.
OFFER = 0.15
MAX_OFFERS = 3
# The language of a first message is taken without asking from this confidence on.
LANGUAGE_SURE = 0.9
# How much the platform's hint (Telegram's language_code, else the phone's country) weighs
# against the text: the hint's language counts this many times its own probability.
HINT_WEIGHT = 3.0

GUESS_PAYLOAD = "sys.guess."
OTHER = "other"
SWITCH_LANGUAGE_PAYLOAD = "sys.switch_language"
# "Talk to a person" hands the conversation to the staff (bot/engine/handoff.py).
PERSON_TARGET = PERSON
GREET = "greet"
COMMAND = "cmd."
# The global commands of dialogs/system.yaml, and "person" (which leads to PERSON_TARGET).
COMMANDS = ("menu", "back", "help", "language", "delete", "person")

# State slots (underscored: not the user's answers, never shown).
OFFERS_SLOT = "_offers"
FIRST_MESSAGE_SLOT = "_first_message"
# Turns in which the topic a person reaches is noted as what an unplaced message was about.
UNPLACED_TURNS = 3


class Guesses:
    """One turn's use of the classifier (ctx.understanding); does nothing without one."""

    def __init__(self, ctx: TurnContext, moves: Moves, command: Callable[[str], None],
                 offer_person: Callable[[], None] | None = None) -> None:
        self.ctx = ctx
        self.moves = moves
        self.command = command
        self.offer_person = offer_person
        self._readings: dict[str, Reading] = {}

    def reading(self, text: str) -> Reading | None:
        understanding = self.ctx.understanding
        if understanding is None or not any(c.isalpha() for c in text):
            return None  # numbers are picks or answers, never a topic
        if text not in self._readings:
            self._readings[text] = understanding.read(text)
        return self._readings[text]

    # -- following a sure guess ---------------------------------------------------------------

    def sure_intent(self, text: str, *, commands_only: bool = False) -> str | None:
        reading = self.reading(text)
        if reading is None:
            return None
        top = reading.intents[0]
        if top.confidence < GO or top.label == GREET or not self.can_follow(top.label):
            return None
        if commands_only and not top.label.startswith(COMMAND):
            return None
        return top.label

    def can_follow(self, intent: str) -> bool:
        if intent.startswith(COMMAND):
            return intent[len(COMMAND):] in COMMANDS
        return self.ctx.content.has_step(intent)

    def follow(self, intent: str) -> None:
        """Go where an intent leads: a command, a topic, a flow."""
        ctx = self.ctx
        ctx.state.pending = None
        ctx.state.slots.pop(OFFERS_SLOT, None)
        # Counted per day (db/counters.py): which intents the classifier followed, no words.
        ctx.events.append(("intent", intent))
        if intent == COMMAND + "person":
            self.moves.go(PERSON_TARGET)
        elif intent.startswith(COMMAND):
            self.command(intent[len(COMMAND):])
        else:
            ref = ctx.content.resolve(intent)
            self.moves.go(ref)

    # -- offering likely topics ---------------------------------------------------------------

    def offers(self, text: str) -> list[str]:
        reading = self.reading(text)
        if reading is None or not reading.known_words:
            return []
        labels = self.ctx.topic_labels
        found = []
        for guess in reading.intents:
            if len(found) == MAX_OFFERS or guess.confidence < OFFER:
                break
            if guess.label in labels and self.can_follow(guess.label):
                found.append(guess.label)
        return found

    def offer(self, text: str) -> bool:
        """"Did you mean...?" with the likeliest topics; False when none is likely enough."""
        ctx = self.ctx
        found = self.offers(text)
        if not found:
            return False
        labels = ctx.topic_labels
        buttons = tuple(Choice(GUESS_PAYLOAD + intent, ctx.render.text(labels[intent], {}))
                        for intent in found)
        buttons += (Choice(GUESS_PAYLOAD + OTHER, ctx.render.message("something_else")),)
        ctx.state.slots[OFFERS_SLOT] = found
        self.note_unplaced(text)
        ctx.say(ctx.render.message("did_you_mean"), buttons)
        return True

    def not_placed(self, text: str) -> None:
        """Nothing likely: the person's words are kept for staff, and the menu offers the rest."""
        self.note_unplaced(text)
        self.ctx.say(self.ctx.render.message("not_placed"))
        self.moves.go(MENU)

    def picked(self, key: str) -> None:
        """A "did you mean" button, tapped or typed as its number."""
        ctx = self.ctx
        offered = ctx.state.slots.pop(OFFERS_SLOT, None) or []
        if key == OTHER and self.offer_person is not None:
            # None of the guesses: a person of the staff may understand (asked first).
            self.offer_person()
            return
        if key == OTHER or not self.can_follow(key):
            ctx.state.pending = None
            self.moves.go(MENU)
            return
        if key in offered:
            ctx.chosen_topic = key
        self.follow(key)

    def picked_by_number(self, number: int | None) -> bool:
        offered = self.ctx.state.slots.get(OFFERS_SLOT)
        if not offered or number is None or not 1 <= number <= len(offered) + 1:
            return False
        self.picked(offered[number - 1] if number <= len(offered) else OTHER)
        return True

    def note_unplaced(self, text: str) -> None:
        ctx = self.ctx
        ctx.unplaced = text
        ctx.state.slots[UNPLACED_SLOT] = UNPLACED_TURNS

    # -- the language of a first message ------------------------------------------------------

    def language(self, text: str, hint: str | None) -> tuple[str | None, bool]:
        """(the likeliest language, whether it is sure enough to answer in it without asking)."""
        reading = self.reading(text)
        if reading is None:
            return None, False
        weights = {g.label: g.confidence * (HINT_WEIGHT if g.label == hint else 1.0)
                   for g in reading.languages if g.label in self.ctx.content.languages}
        if not weights:
            return hint, False
        whole = sum(weights.values())
        best = max(weights, key=weights.__getitem__)
        return best, weights[best] / whole >= LANGUAGE_SURE

    def switch_button(self) -> Choice:
        return Choice(SWITCH_LANGUAGE_PAYLOAD, self.ctx.render.message("switch_language"))


def topic_labels(content: CompiledContent) -> Mapping[str, LocalText]:
    """A button label per intent that can be offered: the first menu choice leading to a step,
    a flow's title, a command's name. Built once per content revision (by the Engine)."""
    labels: dict[str, LocalText] = {}
    for flow in content.flows.values():
        if flow.title is not None and flow.id not in (content.menu_flow, content.language_flow):
            labels.setdefault(flow.id, flow.title)
        for step in flow.steps.values():
            for choice in step.choices:
                if choice.go and "@" not in choice.go:
                    target = choice.go if "." in choice.go else f"{flow.id}.{choice.go}"
                    if not content.has_step(target):
                        target = choice.go  # a flow
                    if content.has_step(target) and "." in target:
                        labels.setdefault(target, choice.label)
    for name in ("menu", "help", "language", "back", "delete"):
        key = f"command_{name}"
        if key in content.messages:
            labels[COMMAND + name] = content.messages[key]
    if "talk_to_person" in content.messages:
        labels[COMMAND + "person"] = content.messages["talk_to_person"]
    return labels
