"""`puente nlu test` (cross-validation of the intent and language models, like `rasa test nlu`;
`--heldout` for the held-out first messages) and `puente nlu purge` (unanswered messages kept
for staff, after 30 days)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("nlu", help="evaluate the intent classifier; purge unanswered messages")
    inner = parser.add_subparsers(dest="nlu_command", required=True)
    test = inner.add_parser("test", help="cross-validated accuracy per language and intent, confusions, failures")
    test.add_argument("--folds", type=int, default=5)
    test.add_argument("--failures", type=int, default=40, help="how many failing examples to list")
    test.add_argument("--heldout", action="store_true",
                      help="evaluate on tests/nlu/heldout instead (per language, per label, wrong language)")
    test.add_argument("--heldout-dir", type=Path, default=HELDOUT)
    test.add_argument("--show-failures", action="store_true",
                      help="with --heldout: print the failing sentences (never use them for tuning)")
    test.set_defaults(run=run_test)
    purge = inner.add_parser("purge", help="delete unanswered messages older than 30 days")
    purge.set_defaults(run=run_purge)


def run_test(args: argparse.Namespace, settings: Settings) -> int:
    from bot.action_bridge import ActionBridge
    from bot.services import load_files

    content = load_files(settings, ActionBridge.from_package())
    if args.heldout:
        return _heldout(content, args, settings)
    from bot.nlu.evaluation import cross_validate
    from bot.nlu.training import examples_of

    examples = examples_of(content.nlu_examples)
    started = time.perf_counter()
    predictions = cross_validate(examples, folds=args.folds)
    for line in cv_report(predictions, args.failures):
        print(line)
    print(f"\n{len(examples)} examples, {args.folds} folds, {time.perf_counter() - started:.1f} s")
    return 0


def cv_report(predictions: list, failures: int) -> list[str]:  # type: ignore[type-arg]
    from bot.nlu.evaluation import by_intent, by_language, confusions, coverage, language_identification

    lines = ["Cross-validated intent accuracy (language identification) per language:"]
    languages = language_identification(predictions)
    for lang, score in by_language(predictions).items():
        lines.append(f"  {lang}  {score.accuracy:6.1%}  ({score.right}/{score.total})   "
                     f"language {languages[lang].accuracy:6.1%}")
    right = sum(p.right for p in predictions)
    lines.append(f"  all {right / len(predictions):6.1%}  ({right}/{len(predictions)})")
    share, accuracy = coverage(predictions, 0.6)
    lines.append(f"  confidence >= 0.6 (followed without asking): {share:.0%} of examples, {accuracy:.1%} right")
    lines += ["", "Per intent (all languages):"]
    for intent, score in sorted(by_intent(predictions).items(), key=lambda item: item[1].accuracy):
        lines.append(f"  {intent:<24}{score.accuracy:6.1%}  ({score.right}/{score.total})")
    lines += ["", "Most confused (intent -> taken for: count):"]
    lines += [f"  {a} -> {b}: {n}" for a, b, n in confusions(predictions)]
    failing = [p for p in predictions if not p.right][:failures]
    lines += ["", f"Failing training examples (first {len(failing)}):"]
    lines += [f"  [{p.language}] {p.intent} -> {p.guessed} ({p.confidence:.2f}): {p.text}" for p in failing]
    return lines


def _heldout(content, args: argparse.Namespace, settings: Settings) -> int:  # type: ignore[no-untyped-def]
    from bot.commands.nlu_heldout import play, read_cases, report
    from bot.engine import Engine
    from bot.i18n import Formatter
    from bot.nlu.training import train

    understanding = train(content.nlu_examples, settings.nlu_cache)
    if understanding is None:
        print("the intent classifier could not be trained")
        return 1
    engine = Engine(content, Formatter(), understanding=understanding)
    outcomes = [play(engine, case) for case in read_cases(args.heldout_dir)]
    for line in report(outcomes, args.show_failures):
        print(line)
    return 0


def run_purge(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from bot.conversation.unanswered import purge_unanswered
    from db.database import Database

    db = Database(settings.database_url)
    with db.transaction() as conn:
        removed = purge_unanswered(conn, dt.datetime.now(dt.UTC))
    print(f"{removed} unanswered message(s) older than 30 days deleted")
    return 0
