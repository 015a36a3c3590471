"""A person's first message: picked language, a topic answered at once, or the language
question first (the message kept and answered after it)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from bot.engine.answers import match_greeting, match_greeting_only, match_trigger
from bot.engine.guesses import FIRST_MESSAGE_SLOT, GREET
from bot.engine.steps import step_type
from bot.engine.steps.language import named_language, names_only
from bot.nlu.normalize import clean_text, normalize

if TYPE_CHECKING:
    from bot.engine.context import TurnContext
    from bot.engine.guesses import Guesses
    from bot.engine.moves import Moves


class Reader(Protocol):
    """What a first message needs of the reader (bot/engine/reading.py)."""

    ctx: TurnContext
    moves: Moves
    guesses: Guesses

    def welcome(self) -> str: ...
    def understood(self, text: str) -> bool: ...
    def unplaced(self, text: str, *, at_first_message: bool = False) -> None: ...

# What is kept of a first message while the language question is asked.
KEPT_CHARS = 300
# Messages of up to this many words are read by keywords before the classifier (a trigger said
# alone); longer ones are sentences, which the classifier reads first when it is sure.
KEYWORD_WORDS = 2


class FirstContact:
    """The reading of a first message (and of the message kept behind the language question)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def first_contact(self) -> None:
        ctx = self.reader.ctx
        content, state, inbound = ctx.content, ctx.state, ctx.inbound
        # The caller turns platform hints (Telegram language_code, phone country) into a code.
        hint = inbound.language_hint
        suggested = hint if hint in content.languages else None
        text = inbound.text if not inbound.is_start else ""
        if text:
            named = named_language(content, text)
            # "english please" picks English. "a lawyer who speaks English" asks for a lawyer (a
            # topic the classifier is sure of is answered in the message's language), and "can
            # you switch to English?" asks to change the language: answered as that request is
            # at any time, with the language question (in the message's language, English first).
            intent = self.reader.guesses.sure_intent(text) if named else None
            if named and (intent is None or intent == "cmd.language" and names_only(content, text)):
                ctx.set_language(named)
                self.reader.moves.go(self.reader.welcome())
                return
            if named and intent == "cmd.language":
                state.slots["_suggested"] = suggested = named
            if self.first_topic(text, suggested):
                return
            greeting = match_greeting(content, text)
            if greeting and match_greeting_only(content, normalize(text).split()):
                suggested = greeting
            else:
                guessed, _ = self.reader.guesses.language(text, suggested)
                suggested = guessed or greeting or suggested
                if not self.only_greeting(text, greeting):
                    state.slots[FIRST_MESSAGE_SLOT] = clean_text(text, KEPT_CHARS)
        self.ask_language(suggested)

    def first_topic(self, text: str, suggested: str | None) -> bool:
        """A first message answered at once: a topic's keywords said alone (their language is
        the message's), or a clear language (the text, weighed with the platform's hint); then a
        topic, a command or "did you mean". False: the language question comes first (and the
        message is answered after it). A greeting alone is no question: the language first."""
        ctx = self.reader.ctx
        words = normalize(text).split()
        if len(words) <= KEYWORD_WORDS:
            # A word or two rarely tells a language: only a topic's (or a trade's) keywords do;
            # else the language question (the words are kept and answered after it).
            hit = match_trigger(ctx.content, text, suggested, whole=False, vocabulary=True)
            return hit is not None and self.first_answer(hit[1], hit[0])
        lang, sure = self.reader.guesses.language(text, suggested)
        hit = None
        if not sure or self.reader.guesses.sure_intent(text) is None:
            hit = match_trigger(ctx.content, text, lang if sure else suggested, whole=False)
        if hit is None and not sure:
            # The language unclear: a trade's name says it, as it did before the classifier.
            hit = match_trigger(ctx.content, text, suggested, whole=False, vocabulary=True)
        if hit is not None:
            return self.first_answer(lang if sure and lang else hit[1], hit[0])
        if sure and lang and not self.only_greeting(text):
            return self.first_answer(lang, None, text)
        return False

    def first_answer(self, lang: str, target: str | None, text: str = "") -> bool:
        """The first answer, in `lang`, with the one-tap switch to another language."""
        ctx = self.reader.ctx
        ctx.set_language(lang)
        ctx.say(ctx.render.message("first_topic"), (self.reader.guesses.switch_button(),))
        if target is not None:
            self.reader.moves.go(target)
        elif not self.reader.understood(text):
            self.reader.unplaced(text)
        return True

    def only_greeting(self, text: str, greeting: str | None = None) -> bool:
        reading = self.reader.guesses.reading(text)
        if reading is not None:
            return reading.intents[0].label == GREET
        return (greeting or match_greeting(self.reader.ctx.content, text)) is not None and len(
            normalize(text).split()) <= 3

    def ask_language(self, suggested: str | None) -> None:
        ctx = self.reader.ctx
        content, state = ctx.content, ctx.state
        state.slots["_suggested"] = suggested or ctx.options.default_language
        ctx.render_in(ctx.lang)
        state.return_to = self.reader.welcome()
        step = content.step(content.resolve(content.language_flow))
        state.step = step.ref
        state.misses = 0
        ctx.replies.append(
            step_type(step).question(ctx.render, step, state.slots, first_contact=True)
        )

    def kept_first_message(self) -> bool:
        """After the language question: the first message, which it stood in front of."""
        ctx = self.reader.ctx
        text = ctx.state.slots.pop(FIRST_MESSAGE_SLOT, None)
        if not text or ctx.state.language is None:
            return False
        ctx.state.return_to = None
        ctx.state.step = None  # read as a first message is: from no question
        # As if just typed: a step's action (the vacancy search) reads these words.
        ctx.inbound = replace(ctx.inbound, text=text, choice_id=None)
        if not self.reader.understood(text):
            self.reader.unplaced(text, at_first_message=True)
        return True
