"""End-to-end runs: start a target on a free port, offer it load shapes through the load
generator, record throughput, latency and the workers' resident memory, stop it.

Used by bench.telegram, bench.whatsapp, bench.storage, bench.growth, bench.overload and
bench.all; each target is measured in turn with the same load generator and fake platforms."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import targets
from bench.common import Served, fill_contacts, fresh_database, load_sample_vacancies
from bench.fake_apis import FakeApis
from bench.loadgen import Load, Result

# Which targets speak which platform, and where their turn ends.
CHANNEL_TARGETS = {
    "telegram": ("puente", "noop", "ptb-echo"),
    "whatsapp": ("puente", "noop", "twilio-echo"),
}
REPLY_VIA = {"puente": "response", "noop": "response", "ptb-echo": "api", "twilio-echo": "response"}


@dataclass
class Options:
    seconds: float = 10.0
    warmup: float = 2.0
    users: int = 1000
    connections: int = 40
    backend: str = "sqlite"
    workers: int = 1
    contacts: int = 0           # contacts stored before the run (growth)
    telegram_rate: int = 100_000


@dataclass
class TargetRun:
    """What one target did under the shapes of one run."""

    target: str
    channel: str
    backend: str = ""
    workers: int = 1
    contacts: int = 0
    results: dict[str, Result] = field(default_factory=dict)
    rss_rest_mb: list[float] = field(default_factory=list)
    rss_load_mb: list[float] = field(default_factory=list)
    log_tail: str = ""

    def summary(self) -> dict[str, Any]:
        return {
            "target": self.target, "channel": self.channel, "backend": self.backend, "workers": self.workers,
            "contacts": self.contacts, "rss_rest_mb": [round(v, 1) for v in self.rss_rest_mb],
            "rss_load_mb": [round(v, 1) for v in self.rss_load_mb],
            "results": {name: r.summary() for name, r in self.results.items()},
        }


@contextlib.asynccontextmanager
async def served(name: str, apis: FakeApis, work: Path, options: Options) -> AsyncIterator[tuple[Served, str]]:
    """The target running; for Puente, on a fresh database with the sample vacancies (and
    `options.contacts` stored contacts). Yields the process and its database URL."""
    async with contextlib.AsyncExitStack() as stack:
        url = ""
        if name == "puente":
            url = stack.enter_context(fresh_database(options.backend, work))
            await asyncio.to_thread(load_sample_vacancies, url)
            if options.contacts:
                await asyncio.to_thread(fill_contacts, url, options.contacts)
            server = targets.puente(url, apis.url, workers=options.workers, telegram_rate=options.telegram_rate)
        elif name == "noop":
            server = targets.noop()
        elif name == "ptb-echo":
            server = targets.ptb_echo(apis.url, pool=max(64, options.connections))
        elif name == "twilio-echo":
            server = targets.twilio_echo()
        else:
            raise ValueError(f"unknown target {name!r}")
        await asyncio.to_thread(server.start, work)
        try:
            yield server, url
        finally:
            await asyncio.to_thread(server.stop)


def load_for(channel: str, name: str, apis: FakeApis, server: Served, options: Options, **extra: Any) -> Load:
    from bench.people import PROTOCOLS

    return Load(PROTOCOLS[channel](), apis, server.url, users=options.users,
                connections=extra.pop("connections", options.connections), reply_via=REPLY_VIA[name], **extra)


async def measure_target(channel: str, name: str, shapes: list[str], apis: FakeApis, work: Path,
                         options: Options) -> TargetRun:
    """Each shape in turn ("saturation", or a rate like "100"), after a short warm-up at a low rate."""
    run = TargetRun(name, channel, options.backend if name == "puente" else "", options.workers, options.contacts)
    async with served(name, apis, work, options) as (server, _url):
        async with load_for(channel, name, apis, server, options) as load:
            await load.fixed_rate(50, 2.0, warmup=0.0)   # first turns load caches (Babel, content)
            await asyncio.sleep(0.5)
            run.rss_rest_mb = server.rss()
            for shape in shapes:
                if shape == "saturation":
                    result = await load.saturation(options.seconds, options.warmup, target=name)
                else:
                    result = await load.fixed_rate(float(shape), options.seconds, options.warmup, target=name,
                                                   shape=f"{float(shape):g}/s")
                run.results[result.shape] = result
            run.rss_load_mb = server.rss()
        run.log_tail = server.log_tail(10)
    return run


async def measure(channel: str, names: list[str], shapes: list[str], work: Path, options: Options) -> list[TargetRun]:
    apis = FakeApis()
    await apis.start()
    try:
        return [await measure_target(channel, name, shapes, apis, work, options) for name in names]
    finally:
        await apis.stop()
