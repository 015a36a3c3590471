"""Developer tool: resolve a git merge conflict in the .po/.pot files by taking the union.

    python tools/merge_catalogs.py && .venv/bin/puente i18n extract

For each conflicted catalog, both sides' entries are kept (ours wins where both translated the
same msgctxt differently); `puente i18n extract` then rebuilds the template and the order.
"""

from __future__ import annotations

import subprocess
import sys

from bot.content.extract import render_po
from bot.content.pofile import read_catalog


def side(path: str, stage: int) -> str:
    return subprocess.run(["git", "show", f":{stage}:{path}"], capture_output=True, text=True, check=True).stdout


def main() -> int:
    conflicted = subprocess.run(
        ["git", "diff", "--name-only", "--diff-filter=U"], capture_output=True, text=True, check=True
    ).stdout.split()
    for path in [p for p in conflicted if p.endswith((".po", ".pot"))]:
        ours = read_catalog(side(path, 2))
        theirs = read_catalog(side(path, 3))
        for message in theirs:
            if not message.id:
                continue
            mine = ours.get(message.id, context=message.context)
            if mine is None:
                ours[message.id] = message
                continue
            if (not mine.string or mine.fuzzy) and message.string and not message.fuzzy:
                mine.string = message.string
                mine.flags.discard("fuzzy")
                mine.user_comments = list(message.user_comments)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(render_po(ours))
        subprocess.run(["git", "add", path], check=True)
        print(f"merged {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
