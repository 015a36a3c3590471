"""A real HAProxy in front of the servers, as the recommended deployment on several machines
(docs/reliability.md, "A person's order across machines"): WhatsApp webhooks are routed by the
form's `From`, so one person's messages all reach the same machine, which keeps their arrival
order; every other request goes round-robin. The suite starts its own haproxy process (the
Debian package `haproxy`) on a free loopback port with the config in its temporary folder,
never the system's service, and stops it at the end."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.common import free_port

WEBHOOK = "/webhooks/whatsapp"
# Requests one machine works on at once; more wait in HAProxy's queue, in arrival order.
MAXCONN = 8


def haproxy() -> str | None:
    """The haproxy program, or None when it is not installed."""
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if Path(p).exists()), None)


def config(bind: str, servers: list[str]) -> str:
    """The HAProxy config: listening on `bind` ("127.0.0.1:8080", ":443 ssl crt <pem>"),
    `servers` as "host:port".

    - `balance url_param From check_post` hashes the `From` field of the POSTed form (Twilio's
      sender, "whatsapp:+52..."); `option http-buffer-request` makes HAProxy wait for the body
      before choosing. `hash-type consistent`: when a machine goes down, only its people move.
    - The body and the path go through untouched: Twilio's signature (of PUBLIC_URL + path and
      the form) checks on every machine as long as each has PUBLIC_URL set to the balancer's
      public address, the one configured in Twilio.
    - `/healthz` checks take a machine out while it is down; `option forwardfor` passes the
      client's address (uvicorn reads it with FORWARDED_ALLOW_IPS set to the balancer's).
    - Requests without a `From` (Telegram, the admin, /healthz) go round-robin. Twilio's
      delivery reports carry the bot's number as `From`: they all go to one machine.
    - `maxconn` per machine, `http-reuse always`, one thread: requests beyond what a machine
      works on wait in HAProxy's queue in arrival order and go out on connections already
      open. A request on a fresh connection takes a few more passes of a busy server's event
      loop before it reaches the person's line than one on an open connection: under a burst,
      a person's later message on an open connection overtook an earlier one on a fresh
      connection (docs/reliability.md)."""
    lines = "\n".join(f"    server m{n} {address} check inter 2s maxconn {MAXCONN}"
                      for n, address in enumerate(servers, 1))
    return f"""global
    maxconn 4096
    nbthread 1

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout queue 60s
    option forwardfor

frontend puente
    bind {bind}
    default_backend machines

backend machines
    balance url_param From check_post
    hash-type consistent
    option http-buffer-request
    http-reuse always
    option httpchk GET /healthz
{lines}
"""


@contextlib.contextmanager
def running(servers: list[str], work: Path, timeout: float = 20.0) -> Iterator[str]:
    """HAProxy in front of `servers` ("host:port"): its URL, until the block ends."""
    program = haproxy()
    if program is None:
        raise FileNotFoundError("haproxy is not installed (apt-get install haproxy)")
    port = free_port()
    path = work / f"haproxy-{port}.cfg"
    path.write_text(config(f"127.0.0.1:{port}", servers), encoding="utf-8")
    subprocess.run([program, "-c", "-q", "-f", str(path)], check=True, capture_output=True)
    log = (work / f"haproxy-{port}.log").open("wb")
    # -db: in the foreground, a child of the suite's, stopped by it.
    process = subprocess.Popen([program, "-db", "-f", str(path)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"haproxy exited with {process.returncode} (log {log.name})")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            if time.monotonic() > deadline:
                raise RuntimeError(f"haproxy not ready after {timeout:.0f} s (log {log.name})")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


async def warm(url: str, machines: int) -> None:
    """Four times as many requests at once as the machines take (`MAXCONN` each), so that
    HAProxy opens every connection it may use and holds them, as it does under steady traffic
    (the platform's own connections are opened before the bursts in the other rows too)."""
    import aiohttp

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async def one() -> None:
            async with session.get(url + "/healthz") as answer:
                await answer.read()

        await asyncio.gather(*(one() for _ in range(4 * MAXCONN * machines)))
