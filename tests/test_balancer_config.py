"""The HAProxy config recommended for several machines (bench/chaos/balancer.py, the one in
docs/reliability.md) in front of two small HTTP servers: every WhatsApp message of a person
reaches the same machine with its form untouched (Twilio's signature still checks), and the
people are spread over both machines. Skipped when haproxy is not installed, except under CI
(.ci/run installs it)."""

from __future__ import annotations

import os
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pytest

from bench.chaos import balancer

pytestmark = pytest.mark.skipif(balancer.haproxy() is None and not os.environ.get("CI"),
                                reason="haproxy is not installed (apt-get install haproxy)")

ROOT = Path(__file__).resolve().parent.parent


class _Machine(ThreadingHTTPServer):
    def __init__(self, name: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.name = name
        self.bodies: list[bytes] = []


class _Handler(BaseHTTPRequestHandler):
    server: _Machine

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self.server.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        self._answer()

    def _answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def machines() -> Iterator[list[_Machine]]:
    started = [_Machine("a"), _Machine("b")]
    for machine in started:
        threading.Thread(target=machine.serve_forever, daemon=True).start()
    yield started
    for machine in started:
        machine.shutdown()
        machine.server_close()


def test_a_persons_whatsapp_messages_all_reach_one_machine_untouched(machines: list[_Machine],
                                                                     tmp_path: Path) -> None:
    addresses = [f"127.0.0.1:{m.server_address[1]}" for m in machines]
    sent: dict[str, list[bytes]] = {}
    with balancer.running(addresses, tmp_path) as url:
        for n in range(4):
            for person in range(20):
                sender = f"whatsapp:+52155{70_000_000 + person}"
                body = urlencode({"MessageSid": f"SM{person:02d}{n:02d}", "Body": f"mensaje {n}",
                                  "From": sender, "To": "whatsapp:+14155238886"}).encode()
                sent.setdefault(sender, []).append(body)
                request = urllib.request.Request(url + balancer.WEBHOOK, data=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded"})
                with urllib.request.urlopen(request, timeout=10) as answer:
                    assert answer.status == 200
    where: dict[str, set[str]] = {}
    for machine in machines:
        for body in machine.bodies:
            where.setdefault(parse_qs(body.decode())["From"][0], set()).add(machine.name)
    assert all(len(names) == 1 for names in where.values()), where
    assert {name for names in where.values() for name in names} == {"a", "b"}
    received = sorted(body for machine in machines for body in machine.bodies)
    assert received == sorted(body for bodies in sent.values() for body in bodies)


def test_the_documented_config_is_the_one_the_suite_runs() -> None:
    documented = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    config = balancer.config(":443 ssl crt /etc/haproxy/puente.pem", ["10.0.0.1:8000", "10.0.0.2:8000"])
    indented = "\n".join(f"    {line}" if line else "" for line in config.splitlines())
    assert indented in documented
