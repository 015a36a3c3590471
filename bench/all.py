"""Every scenario of issue 9 with its baselines, in one run; prints the Markdown table of
docs/benchmarks.md and writes bench/results/all.json.

    python -m bench.all                      # about 10 minutes on 2 cores
    python -m bench.all --seconds 30 --overload-seconds 60
    python -m bench.all --skip vacancies,postgresql

Scenarios: engine only; Telegram and WhatsApp end to end (saturation, 100/s, 500/s) beside the
do-nothing endpoint and the echo bots; storage (SQLite, PostgreSQL 1 and 2 workers); growth
(1,000 vs 100,000 contacts; vacancy search; content load with 10x the flows); memory;
overload (twice the saturation rate).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bench import engine as engine_bench
from bench import scenarios
from bench.common import machine, workdir
from bench.e2e import Options, measure
from bench.report import channel_table, fmt, ratio, save


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per load shape")
    parser.add_argument("--overload-seconds", type=float, default=30.0)
    parser.add_argument("--skip", default="", help="comma-separated: engine, whatsapp, postgresql, growth, "
                        "vacancies, content, overload")
    parser.add_argument("--render", metavar="JSON", help="only print the table of a saved run (bench/results/all.json)")
    args = parser.parse_args()
    if args.render:
        import json
        from pathlib import Path

        print(render(json.loads(Path(args.render).read_text(encoding="utf-8"))))
        return 0
    skip = set(filter(None, args.skip.split(",")))
    import uvloop

    started = time.monotonic()
    data: dict[str, Any] = {"machine": machine(), "command": ("python -m bench.all " + _argv(args)).strip()}
    if "engine" not in skip:
        _say("engine only")   # before the event loop: the recording pass runs its own
        data["engine"] = engine_bench.measure(seconds=5.0)
    uvloop.run(run_all(args, skip, data))
    data["minutes"] = round((time.monotonic() - started) / 60, 1)
    save("all", data)
    print(render(data))
    return 0


async def run_all(args: argparse.Namespace, skip: set[str], data: dict[str, Any]) -> dict[str, Any]:
    options = Options(seconds=args.seconds)
    with workdir() as work:
        _say("telegram end to end")
        telegram = await measure("telegram", ["puente", "noop", "ptb-echo"], ["saturation", "100", "500"],
                                 work, options)
        data["telegram"] = [r.summary() for r in telegram]
        data["telegram_table"] = channel_table(telegram)
        if "whatsapp" not in skip:
            _say("whatsapp end to end")
            whatsapp = await measure("whatsapp", ["puente", "noop", "twilio-echo"], ["saturation", "100", "500"],
                                     work, options)
            data["whatsapp"] = [r.summary() for r in whatsapp]
            data["whatsapp_table"] = channel_table(whatsapp)
        if "postgresql" not in skip:
            _say("storage")
            storage = await scenarios.storage(work, options, sqlite_run=telegram[0])
            data["storage"] = [r.summary() for r in storage]
        if "growth" not in skip:
            _say("growth: contacts")
            growth = await scenarios.contacts_growth(work, options)
            data["growth"] = [r.summary() for r in growth]
        if "overload" not in skip:
            _say("overload")
            saturation = telegram[0].results["saturation"].throughput
            data["overload"] = await scenarios.overload(work, options, saturation, seconds=args.overload_seconds)
    if "content" not in skip:
        _say("content load")
        data["content"] = scenarios.content_load()
    if "vacancies" not in skip:
        _say("vacancy search (bench.vacancy_search)")
        data["vacancies"] = scenarios.vacancy_growth()
    return data


def _argv(args: argparse.Namespace) -> str:
    parts = []
    if args.seconds != 10.0:
        parts.append(f"--seconds {args.seconds:g}")
    if args.overload_seconds != 30.0:
        parts.append(f"--overload-seconds {args.overload_seconds:g}")
    if args.skip:
        parts.append(f"--skip {args.skip}")
    return " ".join(parts)


def _say(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what}", flush=True)


def _get(runs: list[dict[str, Any]], target: str, shape: str, key: str, **match: Any) -> float:
    for run in runs:
        if run["target"] == target and all(run.get(k) == v for k, v in match.items()):
            result = run["results"].get(shape)
            if result is not None:
                return float(result[key])
    return float("nan")


def _check(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def render(data: dict[str, Any]) -> str:
    """The main table: every figure of issue 9 with its baseline, ratio and target."""
    rows: list[tuple[str, str, str, str, str]] = []   # measure, Puente, baseline, ratio, target

    def add(measure: str, ours: str, base: str = "", rel: str = "", target: str = "") -> None:
        rows.append((measure, ours, base, rel, target))

    if "engine" in data:
        rate = data["engine"]["turns_per_second"]
        add("Engine only: turns/s, one core (scripted chats, recorded action results)", fmt(rate), "", "",
            f"≥ 5,000/s: {_check(rate >= 5000)}")
    tg = data["telegram"]
    sat = _get(tg, "puente", "saturation", "throughput")
    noop = _get(tg, "noop", "saturation", "throughput")
    echo = _get(tg, "ptb-echo", "saturation", "throughput")
    add("Telegram saturation, 40 connections: turns/s (SQLite, 1 worker)", fmt(sat),
        f"do-nothing {fmt(noop)}; PTB echo {fmt(echo)}", f"{ratio(sat, noop)} of do-nothing; {ratio(sat, echo)} echo",
        f"≥ 5x echo: {_check(sat >= 5 * echo)}; ≥ 0.30x do-nothing: {_check(sat >= 0.3 * noop)}")
    for rate in ("100/s", "500/s"):
        ours = [_get(tg, "puente", rate, k) for k in ("p50_ms", "p95_ms", "p99_ms")]
        base = [_get(tg, "ptb-echo", rate, k) for k in ("p50_ms", "p95_ms", "p99_ms")]
        nothing = _get(tg, "noop", rate, "p99_ms")
        done = _get(tg, "puente", rate, "throughput")
        target = f"p99 < 20 ms: {_check(ours[2] < 20)}" if rate == "500/s" else ""
        add(f"Telegram {rate}, 1,000 users: p50 / p95 / p99 (turns/s done)",
            " / ".join(fmt(v, "ms") for v in ours) + f" ({fmt(done)}/s)",
            "echo " + " / ".join(fmt(v, "ms") for v in base) + f"; do-nothing p99 {fmt(nothing, 'ms')}",
            f"p99 {ratio(ours[2], base[2])} echo", target)
    if "whatsapp" in data:
        wa = data["whatsapp"]
        sat_wa = _get(wa, "puente", "saturation", "throughput")
        noop_wa = _get(wa, "noop", "saturation", "throughput")
        echo_wa = _get(wa, "twilio-echo", "saturation", "throughput")
        add("WhatsApp saturation, 40 connections: turns/s (SQLite, 1 worker)", fmt(sat_wa),
            f"do-nothing {fmt(noop_wa)}; Twilio echo {fmt(echo_wa)}",
            f"{ratio(sat_wa, noop_wa)} of do-nothing; {ratio(sat_wa, echo_wa)} echo")
        for rate in ("100/s", "500/s"):
            ours = [_get(wa, "puente", rate, k) for k in ("p50_ms", "p95_ms", "p99_ms")]
            base = [_get(wa, "twilio-echo", rate, k) for k in ("p50_ms", "p95_ms", "p99_ms")]
            done = _get(wa, "puente", rate, "throughput")
            add(f"WhatsApp {rate}: p50 / p95 / p99 (turns/s done)",
                " / ".join(fmt(v, "ms") for v in ours) + f" ({fmt(done)}/s)",
                "Twilio echo " + " / ".join(fmt(v, "ms") for v in base), f"p99 {ratio(ours[2], base[2])} echo")
    if "storage" in data:
        st = data["storage"]
        pg1 = _get(st, "puente", "saturation", "throughput", backend="postgresql", workers=1)
        pg2 = _get(st, "puente", "saturation", "throughput", backend="postgresql", workers=2)
        add("Storage: Telegram saturation on PostgreSQL, 1 worker: turns/s", fmt(pg1), f"SQLite {fmt(sat)}",
            f"{ratio(pg1, sat)} SQLite")
        add("Storage: PostgreSQL, 2 workers: turns/s", fmt(pg2), f"1 worker {fmt(pg1)}", f"{ratio(pg2, pg1)}",
            f"≥ 1.6x: {_check(pg2 >= 1.6 * pg1)}")
    if "growth" in data:
        gr = data["growth"]
        small = [_get(gr, "puente", "100/s", k, contacts=1000) for k in ("p50_ms", "p95_ms")]
        large = [_get(gr, "puente", "100/s", k, contacts=100000) for k in ("p50_ms", "p95_ms")]
        add("Growth: Telegram 100/s p50 / p95 with 100,000 contacts stored (SQLite)",
            " / ".join(fmt(v, "ms") for v in large), "1,000 contacts " + " / ".join(fmt(v, "ms") for v in small),
            f"p50 {ratio(large[0], small[0])}, p95 {ratio(large[1], small[1])}",
            f"within 20%: {_check(large[0] <= 1.2 * small[0])} (p50)")
    if "content" in data:
        c = data["content"]
        add(f"Growth: content load with {c['copies']}x the shipped flows ({c['flows']} flows)",
            f"{c['grown_s']:.2f} s", f"shipped {c['shipped_s']:.2f} s", ratio(c["grown_s"], c["shipped_s"]))
    rss_rows, seen = [], set()
    for runs in (tg, data.get("storage", [])):
        for run in runs:
            key = (run["backend"], run["workers"])
            if run["target"] == "puente" and key not in seen:
                seen.add(key)
                workers = f"{run['workers']} worker{'s' if run['workers'] > 1 else ''}"
                rss_rows.append((f"{run['backend']}, {workers}", run["rss_rest_mb"], run["rss_load_mb"]))
    noop_rss = next((r["rss_load_mb"] for r in tg if r["target"] == "noop"), [])
    echo_rss = next((r["rss_load_mb"] for r in tg if r["target"] == "ptb-echo"), [])
    for label, rest, load in rss_rows:
        peak = max(load + rest) if (load or rest) else float("nan")
        add(f"Memory per worker, at rest / after saturation: {label}",
            f"{'+'.join(f'{v:.0f}' for v in rest)} / {'+'.join(f'{v:.0f}' for v in load)} MB",
            f"do-nothing {'+'.join(f'{v:.0f}' for v in noop_rss)} MB; PTB echo {'+'.join(f'{v:.0f}' for v in echo_rss)} MB",
            "", f"< 150 MB: {_check(peak < 150)}")
    if "overload" in data:
        o = data["overload"]
        add(f"Overload: {fmt(o['offered_rate'])}/s (2x saturation) for {o['seconds']:g} s: statuses; lost / duplicated / unrecorded",
            f"{o['statuses']}; {o['lost']} / {o['duplicated']} / {o['unrecorded']} (retried {o['retried']})",
            f"{o['offered']} updates offered", "",
            f"only 429/503 besides 2xx: {_check(o['errors_other_than_429_503'] == 0)}; none lost or doubled: "
            f"{_check(o['lost'] == 0 and o['duplicated'] == 0 and o['unrecorded'] == 0)}")
        add("Overload: latency p50 / p99 before, during, in the 10 s after",
            f"{fmt(o['before_p50_ms'], 'ms')} / {fmt(o['before_p99_ms'], 'ms')}; "
            f"{fmt(o['during_p50_ms'], 'ms')} / {fmt(o['during_p99_ms'], 'ms')}; "
            f"{fmt(o['after_p50_ms'], 'ms')} / {fmt(o['after_p99_ms'], 'ms')}",
            f"before (at {fmt(o['saturation'] / 2)}/s)", ratio(o["after_p50_ms"], o["before_p50_ms"]) + " after/before p50",
            f"back to normal right after: {_check(o['after_p50_ms'] <= 2 * o['before_p50_ms'])}")
        if "during_sent_p50_ms" in o:
            add("Overload: the server's share (from leaving the platform's queue to the reply) p50 / p99, during and after",
                f"{fmt(o['during_sent_p50_ms'], 'ms')} / {fmt(o['during_sent_p99_ms'], 'ms')}; "
                f"{fmt(o['after_sent_p50_ms'], 'ms')} / {fmt(o['after_sent_p99_ms'], 'ms')}",
                "", "", "")
    m = data["machine"]
    out = [
        f"Run of {m['date']}: `{data['command']}` ({data.get('minutes', '?')} min). "
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, load average at start {m['load']}; "
        f"Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}; {m['packages']}.",
        "",
        "| measure | Puente | baseline (same run) | ratio | target |",
        "|---|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
        "",
        "Telegram, every target and shape:", "", data["telegram_table"],
    ]
    if "whatsapp_table" in data:
        out += ["", "WhatsApp, every target and shape:", "", data["whatsapp_table"]]
    if "engine" in data:
        e = data["engine"]
        out += ["", f"Engine only, per script folder ({e['turns_recorded']} turns recorded, "
                f"{e['with_actions']} calling actions): "
                + ", ".join(f"{k} {v:,.0f}/s" for k, v in e["per_group"].items())]
    if "vacancies" in data:
        out += ["", "Vacancy search (bench.vacancy_search, SQLite, 10 rounds):", "", data["vacancies"]]
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
