"""python-telegram-bot's HTTP layer on aiohttp instead of httpx.

Every button tap costs one Bot API call (answerCallbackQuery) and every reply of more than
one message one call per extra message: through httpx each call cost the worker about as
much CPU as the whole turn (docs/benchmarks.md). aiohttp (already installed: twilio's async
client uses it) does the same request for a fraction. PTB documents BaseRequest as the place
to plug another HTTP library; everything above it (methods, objects, errors) is PTB's own."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import (
    DefaultValue,  # PTB's "argument not given" marker (HTTPXRequest uses it too)
)
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

USER_AGENT = "Puente (python-telegram-bot on aiohttp)"


class ConnectFailed(NetworkError):
    """No connection could be made: the request was never sent (safe to try again)."""


def out_of_reach(error: BaseException) -> bool:
    """Whether a Bot API call got no answer at all (no connection, a timeout): not a refusal."""
    return isinstance(error, ConnectFailed | TimedOut)


class AiohttpRequest(BaseRequest):
    """One aiohttp session (and connection pool) per instance, opened on first use inside the
    running event loop."""

    def __init__(self, connection_pool_size: int = 64, read_timeout: float | None = 10.0,
                 connect_timeout: float = 5.0, write_timeout: float = 10.0) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._write_timeout = write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                timeout=aiohttp.ClientTimeout(total=None),
                headers={"User-Agent": USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        await self.initialize()
        assert self._session is not None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
        data: Any = None
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mimetype) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                data = form
            else:
                data = request_data.json_parameters  # form-urlencoded, as PTB sends it with httpx
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
            raise ConnectFailed(f"aiohttp.{type(error).__name__}: {error}") from error
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
