"""Storage, growth, content load and overload: runs built from bench.e2e, each with the
baseline it is compared to measured in the same run."""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, processed_ids
from bench.e2e import Options, TargetRun, load_for, measure, measure_target, served
from bench.fake_apis import FakeApis
from bench.loadgen import Outcome

# -- storage ---------------------------------------------------------------------------------------

async def storage(work: Path, options: Options, sqlite_run: TargetRun | None = None) -> list[TargetRun]:
    """Telegram saturation: Puente on SQLite (1 worker), on PostgreSQL with 1 and 2 workers,
    and the do-nothing endpoint in the same run."""
    apis = FakeApis()
    await apis.start()
    runs: list[TargetRun] = []
    try:
        if sqlite_run is None:
            sqlite_run = await measure_target("telegram", "puente", ["saturation"], apis, work,
                                              _with(options, backend="sqlite", workers=1))
        runs.append(sqlite_run)
        for workers in (1, 2):
            runs.append(await measure_target("telegram", "puente", ["saturation"], apis, work,
                                             _with(options, backend="postgresql", workers=workers)))
    finally:
        await apis.stop()
    return runs


def _with(options: Options, **changes: Any) -> Options:
    return Options(**{**options.__dict__, **changes})


# -- growth ----------------------------------------------------------------------------------------

async def contacts_growth(work: Path, options: Options, sizes: tuple[int, ...] = (1_000, 100_000),
                          rate: float = 100.0) -> list[TargetRun]:
    """Turn latency at a fixed rate with `sizes` contacts stored beforehand (bulk inserted)."""
    runs = []
    for size in sizes:
        runs += await measure("telegram", ["puente"], [str(rate)], work, _with(options, contacts=size))
    return runs


def vacancy_growth(sizes: str = "1000,100000", backends: str = "sqlite", rounds: int = 10) -> str:
    """Runs bench.vacancy_search (the vacancies issue's benchmark) and returns its table."""
    out = subprocess.run(
        [PYTHON, "-m", "bench.vacancy_search", "--sizes", sizes, "--backends", backends, "--rounds", str(rounds)],
        cwd=ROOT, capture_output=True, text=True, check=True, env=_env(),
    ).stdout
    lines = out.splitlines()
    header = max(i for i, line in enumerate(lines) if line.startswith("| backend"))
    return "\n".join(line for line in lines[header:] if line.startswith("|"))


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def content_load(copies: int = 10, rounds: int = 3) -> dict[str, float]:
    """Seconds to load (parse, validate, compile) the shipped content, and the same flows
    `copies` times over: every flow file repeated under new flow ids, translations included."""
    from bot.action_bridge import ActionBridge
    from bot.content.catalog import parse_po
    from bot.content.loader import load_content
    from bot.content.source import ContentSource
    from bot.content.yamlsource import load_yaml

    names = ActionBridge.from_package("actions").names()
    shipped = ContentSource.from_directory(ROOT)
    grown = _multiplied(shipped, copies)
    load_content(shipped, names)   # warm imports and caches

    def best(source: ContentSource) -> float:
        times = []
        for _ in range(rounds):
            parse_po.cache_clear()  # every file read as if new, as before these caches existed
            load_yaml.cache_clear()
            started = time.perf_counter()
            load_content(source, names)
            times.append(time.perf_counter() - started)
        return min(times)

    flows = sum(1 for p, t in shipped.files.items() if p.startswith("dialogs/") and re.search(r"^flow:", t, re.M))
    return {"flows": flows, "copies": copies, "shipped_s": best(shipped), "grown_s": best(grown)}


def _multiplied(source: Any, copies: int) -> Any:
    """Every flow file copied `copies - 1` times under ids <flow>_cN, jumps rewritten to the
    copies, each trigger replaced by a phrase of its own (two flows may not claim one phrase),
    responses left to the originals; the copies' msgctxt entries added to every .po file."""
    import yaml

    from bot.content.source import ContentSource

    files = dict(source.files)
    flows = {}
    for path, text in source.files.items():
        if path.startswith("dialogs/") and re.search(r"^flow:", text, re.M):
            flows[path] = yaml.safe_load(text)
    ids = {data["flow"] for data in flows.values()}

    def target(value: Any, n: int) -> Any:
        if not isinstance(value, str) or value.startswith("@"):
            return value
        head, dot, rest = value.partition(".")
        return f"{head}_c{n}{dot}{rest}" if head in ids else value

    for path, data in flows.items():
        for n in range(1, copies):
            copy = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
            flow = copy["flow"] = f"{data['flow']}_c{n}"
            copy.pop("responses", None)
            copy.pop("values", None)   # global names; the copies' texts use the originals'
            copy["triggers"] = {"es": [f"zzcopia {flow.replace('_', ' ').replace('language', 'lng')}"]}
            for step in copy.get("steps", []):
                if "triggers" in step or step.get("id") == "welcome":
                    step["triggers"] = {"es": [f"zzcopia {flow.replace('language', 'lng')} {step['id']}"]}
                for key in ("next", "go"):
                    if key in step:
                        step[key] = target(step[key], n)
                for choice in step.get("choices") or []:
                    if "go" in choice:
                        choice["go"] = target(choice["go"], n)
                branch = step.get("branch")
                if isinstance(branch, dict):
                    branch["cases"] = {k: target(v, n) for k, v in (branch.get("cases") or {}).items()}
                    if "else" in branch:
                        branch["else"] = target(branch["else"], n)
            files[path.replace(".yaml", f"_c{n}.yaml")] = yaml.safe_dump(copy, allow_unicode=True, sort_keys=False)
    for path, text in source.files.items():
        if path.endswith(".po") or path.endswith(".pot"):
            extra = []
            for block in text.split("\n\n"):
                ctx = re.search(r'^msgctxt "(\w+)\.', block, re.M)
                if ctx and ctx.group(1) in ids:
                    for n in range(1, copies):
                        extra.append(re.sub(r'^msgctxt "(\w+)\.', rf'msgctxt "\1_c{n}.', block, count=1, flags=re.M))
            files[path] = text.rstrip("\n") + "\n\n" + "\n\n".join(extra) + "\n"
    return ContentSource(files)


# -- overload --------------------------------------------------------------------------------------

async def overload(work: Path, options: Options, saturation: float, factor: float = 2.0,
                   seconds: float = 30.0, after: float = 10.0, normal_share: float = 0.5) -> dict[str, Any]:
    """Puente alone: normal load (normal_share of saturation) for `after` s, then factor x
    saturation for `seconds`, then normal load again for `after` s (other users). Updates
    answered 429/5xx or not at all are posted again (up to 5 times, 1 s apart), like Telegram.
    Every update must end answered exactly once and be recorded once as processed."""
    apis = FakeApis()
    await apis.start()
    try:
        async with served("puente", apis, work, options) as (server, url):
            async with load_for("telegram", "puente", apis, server, options, retries=5, retry_delay=1.0) as load:
                load.users = [load.protocol.user(i) for i in range(3 * options.users)]
                load.by_key = {u.key: u for u in load.users}
                first, second, third = (load.users[i * options.users:(i + 1) * options.users] for i in range(3))
                normal = max(1.0, saturation * normal_share)
                before = await load.fixed_rate(normal, after, warmup=1.0, target="puente", shape="before",
                                               users=first)
                rss_rest = server.rss()

                async def later() -> Any:
                    await asyncio.sleep(seconds)
                    return await load.fixed_rate(normal, after, warmup=0.0, target="puente", shape="after",
                                                 users=third, drain=300.0)

                during, recovery = await asyncio.gather(
                    load.fixed_rate(saturation * factor, seconds, warmup=0.0, target="puente",
                                    shape="overload", users=second, drain=300.0),
                    later(),
                )
                rss_load = server.rss()
            recorded = Counter(await asyncio.to_thread(processed_ids, url, "telegram"))
    finally:
        await apis.stop()
    outcomes: list[Outcome] = during.outcomes + recovery.outcomes
    statuses = during.statuses + recovery.statuses
    lost = [o for o in outcomes if not (200 <= o.status < 300) or o.answered == 0]
    duplicated = [o for o in outcomes if o.answered > 1 or recorded[o.external_id] > 1]
    unrecorded = [o for o in outcomes if recorded[o.external_id] == 0]
    after_ms = recovery.latencies_ms(recovery.outcomes)
    return {
        "saturation": saturation, "offered_rate": saturation * factor, "seconds": seconds,
        "offered": len(during.outcomes), "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors_other_than_429_503": sum(v for k, v in statuses.items() if not (200 <= k < 300) and k not in (429, 503)),
        "lost": len(lost), "duplicated": len(duplicated), "unrecorded": len(unrecorded),
        "retried": sum(1 for o in outcomes if o.attempts > 1),
        "throughput_during": round(len([o for o in during.outcomes if 200 <= o.status < 300])
                                   / max(1e-9, max((o.ended for o in during.outcomes), default=0)
                                         - min((o.offered for o in during.outcomes), default=0)), 1),
        "before_p50_ms": round(before.latency(.5, before.outcomes), 1),
        "before_p99_ms": round(before.latency(.99, before.outcomes), 1),
        "during_p50_ms": round(during.latency(.5, during.outcomes), 1),
        "during_p99_ms": round(during.latency(.99, during.outcomes), 1),
        "after_p50_ms": round(statistics.median(after_ms), 1) if after_ms else float("nan"),
        "after_p99_ms": round(recovery.latency(.99, recovery.outcomes), 1),
        "after_first_second_p50_ms": round(statistics.median(
            [(o.ended - o.offered) * 1000 for o in recovery.outcomes
             if o.offered < min(x.offered for x in recovery.outcomes) + 1 and 200 <= o.status < 300] or [float("nan")]), 1)
        if recovery.outcomes else float("nan"),
        # From the moment the request left the platform's queue: the server's own share.
        "during_sent_p50_ms": _since_sent(during.outcomes, .5),
        "during_sent_p99_ms": _since_sent(during.outcomes, .99),
        "after_sent_p50_ms": _since_sent(recovery.outcomes, .5),
        "after_sent_p99_ms": _since_sent(recovery.outcomes, .99),
        "rss_rest_mb": rss_rest, "rss_load_mb": rss_load,
    }


def _since_sent(outcomes: list[Outcome], share: float) -> float:
    done = sorted((o.ended - o.sent) * 1000 for o in outcomes if o.sent and 200 <= o.status < 300)
    return round(done[min(len(done) - 1, int(len(done) * share))], 1) if done else float("nan")


def clean_results() -> None:
    shutil.rmtree(ROOT / "bench" / "results", ignore_errors=True)
