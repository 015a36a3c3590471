"""`puente ...` run as staff type it, in this process: the same parser, settings from the
environment and ./.env, command code, exit code, standard output and error, without starting
an interpreter and importing everything again for each command (about a second of CPU each).

`tests/test_cli.py::puente_process` runs the real `python -m bot.cli` where the process itself is
what a test is about (the entry point, a server)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot import cli


@dataclass(frozen=True)
class Ran:
    """What subprocess.run(..., capture_output=True, text=True) would have returned."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def puente(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> Ran:
    out, err = _stream(), _stream()
    with _environment(env or {}), contextlib.chdir(cwd), _streams(_stream(stdin.encode()), out, err):
        try:
            code = cli.main(list(args))
        except SystemExit as ended:  # argparse: a wrong option or --help
            code = ended.code if isinstance(ended.code, int) else 1
    return Ran(args, code, _text(out), _text(err))


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    # Text over bytes, as a pipe is: commands may write bytes to sys.stdout.buffer.
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _streams(stdin: io.TextIOWrapper, stdout: io.TextIOWrapper, stderr: io.TextIOWrapper) -> Iterator[None]:
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
