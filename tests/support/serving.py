"""ASGI apps served by uvicorn on a free loopback port in a daemon thread: one app per server
(ServerThread), or one server whose app changes per test (Stage)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import Any

import uvicorn
from uvicorn.lifespan.on import LifespanOn


class _Server(uvicorn.Server):
    """uvicorn's server, woken when asked to stop instead of looking every 0.1 s: tests start
    and stop a server per test, and the wait added up."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()  # before `started`: Stage runs work in it
        await super().startup(sockets)

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter += 10  # on_tick refreshes the Date header when counter % 10 == 0
            try:
                await asyncio.wait_for(self._stop.wait(), timeout=1.0)
            except TimeoutError:
                pass

    def stop(self) -> None:
        self.should_exit = True
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)


class ServerThread:
    """An ASGI app served by uvicorn on 127.0.0.1 in a daemon thread."""

    def __init__(self, app: Any) -> None:
        # Bound here, on a port the system picks: parallel test processes never collide.
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
        self.server = _Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.005)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()
        self.thread.join(timeout=10)
        self.sock.close()


class Stage:
    """One uvicorn server for the session whose app changes per test. Each test's app gets its
    own lifespan, started before it is served and shut down after, as uvicorn does for an app
    it serves alone; starting and stopping a server per test cost ~0.15 s.

    with stage.serving(app) as url: ...   # requests to url reach app until the block ends"""

    def __init__(self) -> None:
        self._app: Any = None
        self._server = ServerThread(self)
        self.url = self._server.url

    def __enter__(self) -> Stage:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    @contextlib.contextmanager
    def serving(self, app: Any) -> Iterator[str]:
        lifespan = LifespanOn(uvicorn.Config(app, lifespan="on", log_config=None))
        self._run(lifespan.startup())
        if lifespan.should_exit:
            raise RuntimeError("the app failed to start")
        self._app = app
        try:
            yield self.url
        finally:
            self._app = None
            self._run(lifespan.shutdown())

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        loop = self._server.server._loop
        assert loop is not None, "the stage is not running"
        asyncio.run_coroutine_threadsafe(work, loop).result(timeout=30)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":  # the server's own: each app's is run by serving()
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if self._app is None:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b"no app on the stage"})
            return
        await self._app(scope, receive, send)
