"""A pytest plugin that sums the CPU time (user + system, this process and the subprocesses it
waited for) of each test file and prints the 25 largest at the end:

    .venv/bin/python -m pytest -p tests.support.cpu_by_file tests --ignore=tests/admin -k "not postgresql"

Without -n: under pytest-xdist the tests run in the workers and nothing is summed here. Chromium's
processes are not counted (they never reach this process's rusage)."""

from __future__ import annotations

import resource
from collections import Counter
from collections.abc import Iterator

import pytest

_spent: Counter[str] = Counter()


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    started = _cpu()
    try:
        return (yield)
    finally:
        _spent[item.nodeid.split("::")[0]] += _cpu() - started


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _spent:
        return
    terminalreporter.section("CPU seconds per file (user + system, with waited-for subprocesses)")
    terminalreporter.write_line(f"{sum(_spent.values()):8.1f}  all files")
    for path, seconds in _spent.most_common(25):
        terminalreporter.write_line(f"{seconds:8.1f}  {path}")
