"""Prometheus metrics: turns, errors, turn latency and outbound messages, per channel.

With several worker processes (`puente serve --workers N`), prometheus_client's multiprocess
mode keeps every worker's numbers in PROMETHEUS_MULTIPROC_DIR and /metrics adds them up, so a
scrape that lands on any worker sees the whole server."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

# Turn latency buckets (seconds): the target is a p99 well under 20 ms.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def multiprocess_active() -> bool:
    """True when prometheus_client stores values in files (PROMETHEUS_MULTIPROC_DIR was set
    before it was imported): only then can several workers be added up."""
    return values.ValueClass is not values.MutexValue


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.turns = Counter(
            "puente_turns", "Conversation turns processed", ["channel"], registry=self.registry
        )
        self.errors = Counter(
            "puente_errors",
            "Requests and turns that went wrong, by kind (turn, malformed, forbidden, "
            "database_unavailable, send_failed)",
            ["channel", "kind"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "puente_turn_seconds",
            "Time to run one turn (load, engine, actions, save)",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.outbound = Counter(
            "puente_outbound_messages",
            "Messages sent through a platform API, by result",
            ["channel", "status"],
            registry=self.registry,
        )

    def turn(self, channel: str, seconds: float, *, failed: bool = False) -> None:
        self.turns.labels(channel).inc()
        self.latency.labels(channel).observe(seconds)
        if failed:
            self.errors.labels(channel, "turn").inc()

    def error(self, channel: str, kind: str) -> None:
        self.errors.labels(channel, kind).inc()

    def sent(self, channel: str, status: str, count: int = 1) -> None:
        self.outbound.labels(channel, status).inc(count)

    def exposition(self) -> tuple[bytes, str]:
        """The text format Prometheus scrapes."""
        if multiprocess_active():
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
