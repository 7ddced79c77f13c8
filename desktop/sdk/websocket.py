"""A text WebSocket for an adapter's push stream (Pinduoduo PMC), over the `websockets`
library, so that plugins need nothing beyond desktop.sdk, httpx and the standard library.

    async with connect_websocket(url) as socket:
        await socket.send_json({"commandType": "HeartBeat", "time": now_ms})
        async for frame in socket:          # each text frame, decoded JSON
            ...

Failures come out as the sdk's typed errors: a refused handshake (HTTP 401/403) is
AuthExpired, any other handshake failure or a dropped connection is Temporary, and a frame
that is not a JSON object is Temporary too (the stream ends; the pulls stay the truth).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import Any

from .errors import AuthExpired, Temporary

MAX_FRAME_BYTES = 4 * 1024 * 1024

# The library logs the handshake's request line at DEBUG, and a push URL may carry a
# short-lived signature (PMC's digest): its records go to a logger that keeps only warnings.
_LIBRARY_LOG = logging.getLogger("seatdesk.sdk.websocket")
_LIBRARY_LOG.setLevel(logging.WARNING)


class WebSocket:
    """An open connection; use through `connect_websocket`."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def send_json(self, payload: Mapping[str, object]) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await self._connection.send(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        except ConnectionClosed as exc:
            raise Temporary(f"push connection closed: {exc}") from None

    async def receive_json(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next frame as a JSON object; None when `timeout` passes without one."""
        import asyncio

        from websockets.exceptions import ConnectionClosed

        try:
            if timeout is None:
                raw = await self._connection.recv()
            else:
                raw = await asyncio.wait_for(self._connection.recv(), timeout)
        except asyncio.TimeoutError:
            return None
        except ConnectionClosed as exc:
            raise Temporary(f"push connection closed: {exc}") from None
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise Temporary("push frame is not UTF-8") from None
        try:
            frame = json.loads(raw)
        except ValueError:
            raise Temporary(f"push frame is not JSON: {raw[:80]!r}") from None
        if not isinstance(frame, dict):
            raise Temporary(f"push frame is {type(frame).__name__}, not an object")
        return frame

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._frames()

    async def _frames(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            frame = await self.receive_json()
            assert frame is not None
            yield frame

    async def close(self) -> None:
        await self._connection.close()


class connect_websocket:  # noqa: N801 - used like a function: `async with connect_websocket(url)`
    """Open a WebSocket to `url` (ws:// or wss://); an async context manager."""

    def __init__(self, url: str, *, headers: Mapping[str, str] | None = None,
                 open_timeout: float = 10.0, ping_interval: float | None = 20.0) -> None:
        self.url = url
        self.headers = dict(headers or {})
        self.open_timeout = open_timeout
        self.ping_interval = ping_interval
        self._socket: WebSocket | None = None

    async def __aenter__(self) -> WebSocket:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidStatus, WebSocketException

        try:
            connection = await connect(self.url, additional_headers=self.headers or None,
                                       open_timeout=self.open_timeout, ping_interval=self.ping_interval,
                                       max_size=MAX_FRAME_BYTES, proxy=None, compression=None,
                                       logger=_LIBRARY_LOG)
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403):
                raise AuthExpired(f"push connection refused: HTTP {status}") from None
            raise Temporary(f"push connection refused: HTTP {status}") from None
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise Temporary(f"push connection failed: {exc}") from None
        self._socket = WebSocket(connection)
        return self._socket

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        if self._socket is not None:
            await self._socket.close()
            self._socket = None
