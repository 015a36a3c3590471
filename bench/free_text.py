"""How long the engine takes to read free text against every topic trigger (no database).

    .venv/bin/python bench/free_text.py [--turns 500]

Prints milliseconds per turn for a first message and for a message at the main menu, with the
shipped content (dialogs/ and locales/). Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.action_bridge import ActionBridge  # noqa: E402
from bot.services import load_files  # noqa: E402
from bot.engine import ConversationState, Engine  # noqa: E402
from bot.i18n import Formatter  # noqa: E402
from bot.messages import Inbound  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=500)
    args = parser.parse_args()
    content = load_files(Settings.from_mapping({"CONTENT_DIR": str(PROJECT_ROOT)}), ActionBridge.from_package())
    engine = Engine(content, Formatter())
    phrases = sum(len(group) for group in content.triggers.values())
    print(f"{phrases} trigger phrases in {len(content.triggers)} languages; {args.turns} turns each")
    print(f"{'message':<26}{'first message':>16}{'at the menu':>14}")
    at_menu = ConversationState(language="es", step="main.menu", slots={"language": "es"}, last_seen=999.0)
    for name, text in MESSAGES.items():
        first = per_turn(engine, ConversationState(), text, args.turns)
        menu = per_turn(engine, at_menu, text, args.turns)
        print(f"{name:<26}{first:>13.2f} ms{menu:>11.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
