"""The held-out evaluation (`puente nlu test --heldout`): first messages nobody trained on
(tests/nlu/heldout/<lang>.yaml), each played through the real Engine as a new person's first
message, with the phone's language hint. Where the person landed is compared with `expect`;
the language of the answer with the file's. When the bot asks the language question first, the
person taps their own language and the first message is answered then (as it is in a chat).

Rules of the set (tests/nlu/heldout/README.md): never train or tune on it; its sentences are
printed only with --show-failures, which is for reading a milestone's failures, never for
writing examples or triggers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.engine import ConversationState, Engine, Turn
from bot.engine.guesses import GUESS_PAYLOAD
from bot.i18n import suggest_language
from bot.messages import Inbound

NOW = 1_000_000.0


@dataclass(frozen=True)
class Case:
    language: str
    text: str
    expect: str
    phone: str | None = None


@dataclass(frozen=True)
class Outcome:
    case: Case
    landed: str
    language: str | None
    asked_language: bool
    offered: tuple[str, ...]

    @property
    def right(self) -> bool:
        return self.landed == self.case.expect

    @property
    def wrong_language(self) -> bool:
        return not self.asked_language and self.language != self.case.language


def read_cases(directory: Path) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lang = data["language"]
        for item in data.get("messages") or ():
            cases.append(Case(lang, str(item["text"]), str(item["expect"]), item.get("phone")))
    return cases


def play(engine: Engine, case: Case) -> Outcome:
    hint = suggest_language(None, case.phone)
    channel = "whatsapp" if case.phone else "telegram"
    inbound = Inbound(channel, "heldout", text=case.text, phone=case.phone, language_hint=hint)
    turn = engine.turn(ConversationState(), inbound, NOW)
    language_flow = engine.content.language_flow + "."
    asked = turn.state.language is None and str(turn.state.step).startswith(language_flow)
    if asked:
        tap = Inbound(channel, "heldout", choice_id=f"{language_flow}pick.{case.language}", phone=case.phone)
        turn = engine.turn(turn.state, tap, NOW + 1)
    return Outcome(case, place(engine, turn), turn.state.language, asked, offered(turn))


def offered(turn: Turn) -> tuple[str, ...]:
    return tuple(c.id[len(GUESS_PAYLOAD):] for r in turn.replies for c in r.choices
                 if c.id.startswith(GUESS_PAYLOAD))


def place(engine: Engine, turn: Turn) -> str:
    """Where the turn left the person, in the held-out set's labels."""
    content, state = engine.content, turn.state
    if state.pending == "delete":
        return "@delete"
    if offered(turn):
        return "?offered"
    landed = str(state.cursor if turn.action else state.step)
    flow = landed.partition(".")[0]
    texts = " ".join(r.text for r in turn.replies)
    help_text, _ = content.messages["help"].get(state.language or "es")
    if help_text.strip() and help_text.strip() in texts:
        return "@help"
    if flow == content.language_flow:
        return "@language"
    if ("intent", "cmd.person") in turn.events:
        return "@person"
    if flow == content.menu_flow:
        not_placed, _ = content.messages["not_placed"].get(state.language or "es")
        return "?not_placed" if not_placed in texts else "@menu"
    if landed == "support.list" and state.slots.get("support_kind"):
        return f"support.{state.slots['support_kind']}"
    if flow in ("vacancies", "registration", "privacy") and landed != "vacancies.for_me":
        return flow
    # The second page of the dismissal topic (its button "what they owe you"): the set's label
    # rights.dismissal covers "no final pay, what I am owed when a job ends".
    if landed == "rights.final_pay":
        return "rights.dismissal"
    return landed


@dataclass(frozen=True)
class Summary:
    right: int
    total: int
    wrong_language: int
    asked: int
    offered_right: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def summarise(outcomes: Iterable[Outcome], key: str) -> dict[str, Summary]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.case.language if key == "language" else outcome.case.expect].append(outcome)
    return {
        name: Summary(
            sum(o.right for o in found), len(found), sum(o.wrong_language for o in found),
            sum(o.asked_language for o in found),
            sum(o.case.expect in _as_intents(o.offered) for o in found),
        )
        for name, found in sorted(groups.items())
    }


def _as_intents(offered: tuple[str, ...]) -> set[str]:
    """Offered intents in the set's labels (cmd.menu -> @menu)."""
    return {f"@{o[4:]}" if o.startswith("cmd.") else o for o in offered}


def report(outcomes: list[Outcome], show_failures: bool) -> list[str]:
    lines = [f"Held-out first messages: {len(outcomes)}", "",
             f"{'language':<10}{'right':>14}{'wrong language':>16}{'asked language':>16}{'offered right':>15}"]
    for name, s in summarise(outcomes, "language").items():
        lines.append(f"{name:<10}{s.right:>5}/{s.total:<4}{s.accuracy:>5.0%}{s.wrong_language / s.total:>16.1%}"
                     f"{s.asked / s.total:>16.1%}{s.offered_right:>15}")
    total = Summary(sum(o.right for o in outcomes), len(outcomes), sum(o.wrong_language for o in outcomes),
                    sum(o.asked_language for o in outcomes), 0)
    lines.append(f"{'all':<10}{total.right:>5}/{total.total:<4}{total.accuracy:>5.0%}"
                 f"{total.wrong_language / max(total.total, 1):>16.1%}{total.asked / max(total.total, 1):>16.1%}")
    lines += ["", f"{'label':<24}{'right':>12}   landed instead (count)"]
    for name, s in summarise(outcomes, "label").items():
        instead = Counter(o.landed for o in outcomes if o.case.expect == name and not o.right)
        where = ", ".join(f"{k} ({n})" for k, n in instead.most_common(3))
        lines.append(f"{name:<24}{s.right:>4}/{s.total:<3}{s.accuracy:>5.0%}   {where}")
    if show_failures:
        lines += ["", "Failures (for reading only: never copy them into examples or triggers):"]
        for o in outcomes:
            if not o.right or o.wrong_language:
                lines.append(f"  [{o.case.language}] {o.case.expect} -> {o.landed} "
                             f"(language {o.language}{', asked' if o.asked_language else ''}): {o.case.text}")
    return lines
