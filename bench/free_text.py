"""How long the engine takes to read free text: the keyword matcher against every topic trigger,
and the intent classifier (no database).

    .venv/bin/python bench/free_text.py [--turns 500]

Prints milliseconds per turn for a first message and at the main menu, with the keyword stage
alone and with the trained classifier; then one classification's p50 / p99 over every example
sentence of the shipped content, and the training time. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.action_bridge import ActionBridge  # noqa: E402
from bot.engine import ConversationState, Engine  # noqa: E402
from bot.i18n import Formatter  # noqa: E402
from bot.messages import Inbound  # noqa: E402
from bot.nlu.training import examples_of, train  # noqa: E402
from bot.nlu.understanding import Understanding  # noqa: E402
from bot.services import load_files  # noqa: E402
from bot.settings import PROJECT_ROOT, Settings  # noqa: E402

MESSAGES = {
    "topic in a sentence": "no me pagaron el sábado pasado y mi patrón dice que no me va a pagar",
    "short greeting": "hola",
    "no topic, 12 words": "quisiera saber algo sobre la ciudad donde vivo ahora con mi familia",
    "10,000-character paste": "x" * 10_000,
}


def per_turn(engine: Engine, state: ConversationState, text: str, turns: int) -> float:
    started = time.perf_counter()
    for _ in range(turns):
        engine.turn(state, Inbound("bench", "u", text=text), 1000.0)
    return (time.perf_counter() - started) / turns * 1000


def classification_times(understanding: Understanding, texts: list[str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per message (intents and language), each sorted. On a
    shared machine the wall clock's tail is other processes running; the CPU time is ours."""
    wall, cpu = [], []
    for text in texts:
        started, used = time.perf_counter(), time.thread_time()
        reading = understanding.read(text)
        _ = reading.intents, reading.languages
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - used) * 1000)
    return sorted(wall), sorted(cpu)


def percentiles(times: list[float]) -> str:
    return (f"p50 {statistics.median(times):.3f} ms, p99 {times[int(len(times) * 0.99) - 1]:.3f} ms, "
            f"max {times[-1]:.3f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=500)
    args = parser.parse_args()
    content = load_files(Settings.from_mapping({"CONTENT_DIR": str(PROJECT_ROOT)}), ActionBridge.from_package())
    started = time.perf_counter()
    understanding = train(content.nlu_examples)
    trained = time.perf_counter() - started
    assert understanding is not None, "the classifier could not be trained"
    engines = {"keywords": Engine(content, Formatter()),
               "classifier": Engine(content, Formatter(), understanding=understanding)}
    phrases = sum(len(group) for group in content.triggers.values())
    print(f"{phrases} trigger phrases in {len(content.triggers)} languages; {args.turns} turns each")
    print(f"{'message':<26}{'stage':<12}{'first message':>16}{'at the menu':>14}")
    at_menu = ConversationState(language="es", step="main.menu", slots={"language": "es"}, last_seen=999.0)
    for name, text in MESSAGES.items():
        for stage, engine in engines.items():
            first = per_turn(engine, ConversationState(), text, args.turns)
            menu = per_turn(engine, at_menu, text, args.turns)
            print(f"{name:<26}{stage:<12}{first:>13.2f} ms{menu:>11.2f} ms")
    texts = [text for _, _, text in examples_of(content.nlu_examples)] + list(MESSAGES.values())
    classification_times(understanding, texts[:200])  # warm up
    wall, cpu = classification_times(understanding, texts)
    print(f"\nclassifying one message (intents and language), {len(wall)} messages:")
    print(f"  wall clock: {percentiles(wall)}")
    print(f"  CPU time:   {percentiles(cpu)}")
    weights = understanding.intents.weights.buffer_info()[1] + understanding.languages.weights.buffer_info()[1]
    print(f"training ({len(texts) - len(MESSAGES)} examples, child process): {trained:.1f} s; "
          f"{len(understanding.vocabulary)} features, {weights} weights kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
