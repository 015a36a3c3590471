"""What the per-turn "is there a newer published revision?" check costs, and what a switch costs.

    .venv/bin/python bench/content_check.py [DATABASE_URL]   (default: a temporary SQLite file)

Prints microseconds per check (one indexed query in the turn's transaction), milliseconds per
full turn with the check, and the one-off cost of loading a newly published revision."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time

from bot.app import build_app
from bot.content.source import ContentSource
from bot.messages import Inbound
from bot.settings import PROJECT_ROOT, Settings


def main(url: str) -> None:
    app = build_app(Settings.from_mapping({"DATABASE_URL": url, "CONTENT_DIR": str(PROJECT_ROOT)}))
    with app.db.transaction() as conn:
        app.revisions.publish(conn, ContentSource.from_directory(PROJECT_ROOT), "bench", "bench")
    app.live.refresh()
    current = app.live.content.revision
    checks = []
    for _ in range(2000):
        with app.db.transaction():
            started = time.perf_counter()
            assert app.revisions.newer(current) is None
            checks.append(time.perf_counter() - started)
    loop = asyncio.new_event_loop()
    turns = []
    for i in range(300):
        started = time.perf_counter()
        loop.run_until_complete(app.conversations.handle(Inbound("console", f"bench-{i % 20}", text="menu")))
        turns.append(time.perf_counter() - started)
    with app.db.transaction() as conn:
        app.revisions.publish(conn, ContentSource.from_directory(PROJECT_ROOT), "bench", "again")
    started = time.perf_counter()
    assert app.live.refresh()
    switch = time.perf_counter() - started
    print(f"database: {url.split(':')[0]}")
    print(f"check, nothing new: median {statistics.median(checks) * 1e6:.0f} us, "
          f"p95 {sorted(checks)[int(len(checks) * .95)] * 1e6:.0f} us (n={len(checks)})")
    print(f"turn 'menu' with the check: median {statistics.median(turns) * 1e3:.1f} ms (n={len(turns)})")
    print(f"switch to a newly published revision (load + validate + compile, once per worker): {switch * 1e3:.0f} ms")
    loop.close()
    app.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.db")
