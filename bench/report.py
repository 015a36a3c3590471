"""Markdown tables from end-to-end runs: our figures and their ratios to the baselines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.e2e import TargetRun
from bench.targets import LABELS

RESULTS = Path(__file__).resolve().parent / "results"


def fmt(value: float, unit: str = "") -> str:
    if value != value:  # NaN
        return "–"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"
    return f"{value:,.0f}{unit}"


def ratio(ours: float, theirs: float) -> str:
    if not theirs or ours != ours or theirs != theirs:
        return "–"
    return f"{ours / theirs:.2f}x"


def channel_table(runs: list[TargetRun]) -> str:
    """One row per target and shape: throughput or latency, statuses, answered share."""
    lines = ["| target | shape | turns/s | p50 | p95 | p99 | answered | statuses | RSS rest / load |",
             "|---|---|---:|---:|---:|---:|---:|---|---|"]
    for run in runs:
        for shape, result in run.results.items():
            statuses = ", ".join(f"{k or 'none'}: {v}" for k, v in sorted(result.statuses.items()))
            rss = f"{'+'.join(f'{v:.0f}' for v in run.rss_rest_mb)} / {'+'.join(f'{v:.0f}' for v in run.rss_load_mb)} MB"
            label = LABELS.get(run.target, run.target)
            if run.target == "puente":
                label += f" ({run.backend}, {run.workers} worker{'s' if run.workers > 1 else ''})"
            lines.append(
                f"| {label} | {shape} | {fmt(result.throughput)} | {fmt(result.latency(.5), 'ms')} | "
                f"{fmt(result.latency(.95), 'ms')} | {fmt(result.latency(.99), 'ms')} | "
                f"{result.answered_share:.0%} | {statuses} | {rss} |"
            )
    return "\n".join(lines)


def save(name: str, data: Any) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return path
