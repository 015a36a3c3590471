"""A pytest plugin that sums the CPU time (user + system, of the process running the test and of
the subprocesses it waited for) of each test file and prints the 25 largest at the end:

    .venv/bin/python -m pytest -p tests.support.cpu_by_file -n auto

With or without pytest-xdist: each phase of a test (setup, call, teardown) carries its CPU time
in its report's `user_properties`, which xdist's workers send to the process that prints.
Chromium's processes are not counted (they never reach the workers' rusage); a session-scoped
fixture is counted in the first test that asks for it."""

from __future__ import annotations

import resource
from collections import Counter
from collections.abc import Iterator

import pytest

KEY = "cpu_seconds"
_spent: Counter[str] = Counter()
_last = [0.0]


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    _last[0] = _cpu()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    now = _cpu()
    report.user_properties = [*report.user_properties, (f"{KEY}:{call.when}", now - _last[0])]
    _last[0] = now
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, seconds in report.user_properties:
        if key == f"{KEY}:{report.when}":
            _spent[report.nodeid.split("::")[0]] += float(seconds)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _spent:
        return
    terminalreporter.section("CPU seconds per file (user + system, with waited-for subprocesses)")
    terminalreporter.write_line(f"{sum(_spent.values()):8.1f}  all files")
    for path, seconds in _spent.most_common(25):
        terminalreporter.write_line(f"{seconds:8.1f}  {path}")
