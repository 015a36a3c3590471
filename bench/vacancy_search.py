"""Vacancy search latency with 1,000 / 10,000 / 100,000 offers on SQLite and PostgreSQL.

    .venv/bin/python -m bench.vacancy_search                      # both backends, all sizes
    .venv/bin/python -m bench.vacancy_search --sizes 1000,10000 --backends sqlite --rounds 20

Offers come from tools/make_sample_vacancies.py (same generator as the shipped sample, more of
it), imported through the real import path. Each measured call is what one chat turn does for a
search: VacancySearch.page() for the first page of 3 (typo lookups included), on one open
connection. The baseline, measured in the same run, is a primary-key read of one offer
(db.vacancies.store.get_vacancy). PostgreSQL runs on a throwaway database (PUENTE_BENCH_POSTGRES,
default postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import Connection, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.occupations import Occupations  # noqa: E402
from bot.nlu.places import Places  # noqa: E402
from bot.vacancies.importer import import_rows  # noqa: E402
from bot.vacancies.request import read_request  # noqa: E402
from bot.vacancies.search import VacancySearch  # noqa: E402
from db.database import Database  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.vacancies.store import get_vacancy  # noqa: E402
from tools.make_sample_vacancies import AS_OF, generate  # noqa: E402

PG_ADMIN = os.environ.get("PUENTE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

# What users type, in the five languages, with typos, places and free words.
QUERIES = [
    ("es", "albañil en Monterrey"),
    ("ht", "travay konstriksyon Tijuana"),
    ("en", "cook in Guadalajara"),
    ("pt", "cozinheiro Cancún"),
    ("fr", "je cherche un emploi de serveur à Tijuana"),
    ("es", "cosinero en cancun de noche"),
    ("es", "vacantes en Tapachula"),
    ("es", "ayudante general"),
    ("es", "restaurnte de mariscos"),
    ("en", "warehouse jobs"),
]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(call: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@contextmanager
def database(backend: str, workdir: Path) -> Iterator[Database]:
    if backend == "sqlite":
        db = Database(f"sqlite:///{workdir / 'bench.db'}")
        upgrade(db)
        yield db
        db.dispose()
        return
    name = f"puente_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = Database(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    try:
        upgrade(db)
        yield db
    finally:
        db.dispose()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def grow(db: Database, records: list[dict], have: int, want: int) -> float:
    """Import offers have..want; seconds taken."""
    rows = [(i + 1, r) for i, r in enumerate(records[have:want], start=have)]
    start = time.perf_counter()
    report = import_rows(db, rows, today=AS_OF, now=dt.datetime.now(dt.UTC), progress_stream=io.StringIO())
    assert not report.errors, report.errors[:3]
    if db.url.startswith("postgresql"):
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - start


def measure(conn: Connection, size: int, rounds: int) -> dict[str, list[float]]:
    occupations, places = Occupations.load(), Places.load()
    specs = [read_request(sentence, lang, occupations, places) for lang, sentence in QUERIES]
    search = VacancySearch(conn, occupations, places)
    ids = conn.execute(text("SELECT id FROM vacancies")).scalars().all()
    rng = random.Random(7)
    for spec in specs:  # warm caches: we measure steady state, not the first query after start
        search.page(spec, AS_OF)
    results: dict[str, list[float]] = {"search": [], "baseline": []}
    for _ in range(rounds):
        for n, spec in enumerate(specs):
            took = timed(lambda: search.page(spec, AS_OF), 1)
            results["search"] += took
            results.setdefault(f"query {n}", []).extend(took)
            vacancy_id = rng.choice(ids)
            results["baseline"] += timed(lambda: get_vacancy(conn, vacancy_id, AS_OF), 1)
    found = [len(search.page(spec, AS_OF).vacancies) for spec in specs]
    results["found"] = [float(n) for n in found]
    return results


def per_query(result: dict[str, list[float]]) -> str:
    """p50 / p95 of each sentence: where the time goes."""
    lines = []
    for n, (lang, sentence) in enumerate(QUERIES):
        samples = result[f"query {n}"]
        lines.append(f"    {statistics.median(samples):6.2f} / {percentile(samples, 0.95):6.2f} ms  "
                     f"({lang}) {sentence}")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with psycopg.connect(PG_ADMIN) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    return (f"{cpu}, {os.cpu_count()} cores, load {load:.1f}; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=30, help="passes over the query list per size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    records = generate(max(sizes), seed=2026)
    print(f"machine: {machine()}", flush=True)
    print(f"queries: {len(QUERIES)} sentences x {args.rounds} rounds per size\n", flush=True)
    lines = ["| backend | offers | search p50 | search p95 | baseline p50 | baseline p95 | import |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            with database(backend, Path(tmp)) as db:
                have = 0
                for size in sizes:
                    seconds = grow(db, records, have, size)
                    have = size
                    with db.engine.connect() as conn:
                        result = measure(conn, size, args.rounds)
                    search, base = result["search"], result["baseline"]
                    line = (f"| {backend} | {size:,} | {statistics.median(search):.2f} ms | "
                            f"{percentile(search, 0.95):.2f} ms | {statistics.median(base):.2f} ms | "
                            f"{percentile(base, 0.95):.2f} ms | {size / seconds if seconds else 0:,.0f}/s |")
                    lines.append(line)
                    print(line, f" (results per query: {[int(n) for n in result['found']]})", flush=True)
                    if size == max(sizes):
                        print(f"  p50 / p95 per sentence, {backend}, {size:,} offers:\n{per_query(result)}", flush=True)
    print("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
