"""Benchmark of the SNE registration: turn latency through the whole form, and export speed.

    .venv/bin/python bench/registration.py                    # SQLite in a temporary folder
    .venv/bin/python bench/registration.py --people 50 --export-rows 20000
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench .venv/bin/python bench/registration.py

Prints a Markdown table (copy it into docs/benchmarks.md) and writes bench/results/registration.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_app  # noqa: E402
from bot.messages import Inbound  # noqa: E402
from bot.registration.export import ExportFilter, export  # noqa: E402
from bot.settings import Settings  # noqa: E402
from db import contacts as contact_store  # noqa: E402
from db import registrations as registration_store  # noqa: E402

ANSWERS = [
    "hola", "español", "quiero registrarme", "sí", "Rosa María Pineda", "27/04/1990", "hondureña", "1",
    "hegg 560427 mvzrrl05", "BEML920313HMCLNS09", "1", "55-1234-567a", "+52 1 55 9876 5432", "Monterey",
    "3", "albañil y costurera", "4", "español y kreyòl", "sí", "1",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def registrations(app, people: int) -> list[float]:  # type: ignore[no-untyped-def]
    timings: list[float] = []
    for number in range(people):
        for text in ANSWERS:
            started = time.perf_counter()
            await app.conversations.handle(Inbound("console", f"bench-{number}", text=text))
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def fill(app, rows: int) -> None:  # type: ignore[no-untyped-def]
    template = registration_store.Registration(
        full_name="Persona De Prueba", birth_date=dt.date(1990, 4, 27), nationality="HT", document="comar",
        curp=None, phone="+525512345678", state="07", municipality="Tapachula", education="primary",
        trades=["construction"], sinco=["712"], occupation_text="albañil", experience_years=5,
        languages=["ht", "es"], willing_to_relocate=True, chat_language="ht", consent_version="2026-11-1",
        consent_at=dt.datetime.now(dt.UTC),
    )
    now = dt.datetime.now(dt.UTC)
    with app.db.transaction() as conn:
        for number in range(rows):
            contact = contact_store.find_or_create_contact(conn, "telegram", f"fill-{number}", now)
            registration_store.save(conn, contact.id, template, now)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20, help="full registrations through the chat")
    parser.add_argument("--export-rows", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="puente-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.db"
    app = build_app(Settings.from_mapping({"DATABASE_URL": url, "CONTENT_DIR": str(ROOT)}))
    timings = asyncio.run(registrations(app, args.people))
    with app.db.transaction() as conn:  # the scripted answers must still make a registration
        made = conn.exec_driver_sql("SELECT count(*) FROM registrations").scalar_one()
    if made != args.people:
        print(f"only {made} of {args.people} scripted registrations completed: the form changed, "
              "update ANSWERS", file=sys.stderr)
        return 1
    fill(app, args.export_rows)
    results = {
        "database": url.split(":", 1)[0],
        "turns": len(timings),
        "turn_ms_median": round(statistics.median(timings), 1),
        "turn_ms_p95": round(percentile(timings, 0.95), 1),
        "turn_ms_max": round(max(timings), 1),
    }
    for fmt in ("csv", "xlsx"):
        started = time.perf_counter()
        count = export(app.db, folder / f"sne.{fmt}", fmt, ExportFilter(), actor="cli:bench")
        results[f"export_{fmt}_rows"] = count
        results[f"export_{fmt}_s"] = round(time.perf_counter() - started, 2)
        results[f"export_{fmt}_mb"] = round((folder / f"sne.{fmt}").stat().st_size / 1e6, 2)
    app.close()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "registration.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("| measure | value |\n|---|---|")
    for key, value in results.items():
        print(f"| {key} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
