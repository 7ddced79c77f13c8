"""A loopback fake of Pinduoduo's PMC message service (research/platform-apis.md §3.7),
served with the `websockets` package on its own thread and event loop.

What it checks and does, from the spec:
- the handshake path ``/message/{client_id}/{timestamp_ms}/{digest}``: the app's
  client_id, a timestamp within 10 minutes of the fake's clock (the gateway's tolerance,
  §3.1) and the digest base64(lowercase hex MD5(client_id + timestamp_ms + client_secret)),
  recomputed here independently of the adapter; anything else is refused with HTTP 401;
- it delivers ``{id, commandType: Common, time, sendTime, message: {type, mallID, content}}``
  frames to every connected client, keeps each message until an Ack echoing its id, type
  and mallID arrives, and delivers every unacknowledged message again on the next
  connection (unconsumed messages are kept 7 days, §3.7);
- it counts HeartBeat frames and keeps the acks it accepted, for tests.

Choices the spec leaves open (the fake's, not the platform's): ``commandType`` goes out as
the name ("Common") unless ``command_form = "ordinal"`` (then 3), and either form is
accepted inbound; ``id`` and ``mallID`` are JSON numbers (the C# model's ``long``); an ack
that does not echo the message's type and mallID does not count; the service sends no
heartbeats of its own (``send_frame`` lets a test send any frame). Tests only.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import http
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

SKEW_MAX_MS = 10 * 60 * 1000
KEEP_S = 7 * 24 * 3600  # unconsumed messages are kept 7 days (§3.7)
_ORDINALS = {"HeartBeat": 0, "Ack": 1, "Fail": 2, "Common": 3}
_NAMES = {number: name for name, number in _ORDINALS.items()}


@dataclass(slots=True)
class Stored:
    """A published message, kept until acknowledged (or 7 days old)."""

    id: int
    topic: str
    mall_id: int
    content: str
    send_time: int
    deliveries: int = 0


def _command(value: object) -> str | None:
    if isinstance(value, str):
        return value if value in _ORDINALS else None
    if isinstance(value, int) and not isinstance(value, bool):
        return _NAMES.get(value)
    return None


class PmcFake:
    """The message service for one app (client_id); any number of malls publish through it."""

    def __init__(self, client_id: str, client_secret: str, clock: Callable[[], float] | None = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.clock = clock or time.time
        self.command_form = "name"  # or "ordinal": how commandType goes out
        self.heartbeats = 0
        self.acks: list[dict[str, Any]] = []  # the acks accepted, in order
        self.frames: list[dict[str, Any]] = []  # every JSON frame received, in order
        self.handshakes: list[tuple[int, str]] = []  # (HTTP status, path) of each attempt
        self._pending: dict[int, Stored] = {}
        self._next_id = 7_312_004_000_000_000
        self._lock = threading.Condition()
        self._connections: set[ServerConnection] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._port = 0

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> PmcFake:
        self._ready.clear()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), name="pdd-pmc-fake", daemon=True)
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("the fake PMC service did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._loop, self._stop, self._server = None, None, None

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        quiet = logging.getLogger("pdd-fake.pmc")  # the server's frame-by-frame DEBUG lines stay out of test logs
        quiet.setLevel(logging.WARNING)
        async with serve(self._serve, "127.0.0.1", 0, process_request=self._handshake, logger=quiet,
                         ping_interval=None, compression=None) as server:
            self._server = server
            self._port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop.wait()
        # leaving `serve` closed the listening socket and every connection (close code 1001)

    @property
    def url(self) -> str:
        """The base URL, as the adapter's ``pmc_url`` setting takes it."""
        assert self._port, "start the fake first"
        return f"ws://127.0.0.1:{self._port}"

    # -- what tests do ------------------------------------------------------------------------
    def publish(self, mall_id: str | int, topic: str, content: Mapping[str, Any] | str) -> int:
        """Queue a message for a mall and deliver it to the connected clients; its id.
        `content` is serialised to the JSON string the frame carries (text goes as it is)."""
        now_ms = int(self.clock() * 1000)
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        with self._lock:
            self._next_id += 1
            stored = Stored(self._next_id, topic, int(mall_id), text, now_ms)
            self._pending[stored.id] = stored
            targets = list(self._connections)
        for connection in targets:
            self._soon(self._deliver(connection, [stored]))
        return stored.id

    def send_frame(self, frame: Mapping[str, Any] | str) -> None:
        """Send one raw frame (a JSON object, or any text) to every connected client; not kept."""
        text = frame if isinstance(frame, str) else json.dumps(frame, ensure_ascii=False)
        with self._lock:
            targets = list(self._connections)
        for connection in targets:
            self._soon(self._send(connection, text))

    def drop(self) -> None:
        """Cut every live connection at once, as a network failure would (no close frame)."""
        with self._lock:
            targets = list(self._connections)
        for connection in targets:
            assert self._loop is not None
            self._loop.call_soon_threadsafe(connection.transport.abort)

    def pending(self) -> list[Stored]:
        """The messages not acknowledged yet, oldest first."""
        with self._lock:
            return sorted(self._pending.values(), key=lambda s: s.id)

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._connections)

    def wait_until(self, ready: Callable[[PmcFake], bool], timeout: float = 5.0) -> bool:
        """Wait until `ready(self)` holds (checked whenever a frame or a connection comes)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not ready(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.05))
            return True

    # -- the service --------------------------------------------------------------------------
    def _soon(self, job: Any) -> None:
        assert self._loop is not None, "start the fake first"
        asyncio.run_coroutine_threadsafe(job, self._loop)

    def _handshake(self, connection: ServerConnection, request: Request) -> Response | None:
        status = self._check_path(request.path)
        with self._lock:
            self.handshakes.append((status, request.path.rsplit("/", 1)[0]))  # the digest is not kept
            self._lock.notify_all()
        if status == 200:
            return None
        return connection.respond(http.HTTPStatus(status), "client_id, timestamp or digest invalid\n")

    def _check_path(self, path: str) -> int:
        parts = path.split("?")[0].split("/")
        if len(parts) != 5 or parts[0] != "" or parts[1] != "message":
            return 404
        _, _, client_id, stamp, digest = parts
        if client_id != self.client_id or not stamp.isdigit():
            return 401
        if abs(int(stamp) - self.clock() * 1000) > SKEW_MAX_MS:
            return 401
        hexdigest = hashlib.md5(f"{client_id}{stamp}{self.client_secret}".encode()).hexdigest()
        expected = base64.b64encode(hexdigest.encode("ascii")).decode("ascii")
        return 200 if hmac.compare_digest(expected, digest) else 401

    async def _serve(self, connection: ServerConnection) -> None:
        with self._lock:
            now = self.clock()
            for stale in [s for s in self._pending.values() if now - s.send_time / 1000 > KEEP_S]:
                del self._pending[stale.id]
            backlog = sorted(self._pending.values(), key=lambda s: s.id)
            self._connections.add(connection)
            self._lock.notify_all()
        try:
            await self._deliver(connection, backlog)
            async for raw in connection:
                self._receive(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.discard(connection)
                self._lock.notify_all()

    async def _deliver(self, connection: ServerConnection, messages: list[Stored]) -> None:
        for stored in messages:
            with self._lock:
                if stored.id not in self._pending:
                    continue  # acknowledged meanwhile
                stored.deliveries += 1
            await self._send(connection, json.dumps(self._frame(stored), ensure_ascii=False))

    async def _send(self, connection: ServerConnection, text: str) -> None:
        try:
            await connection.send(text)
        except ConnectionClosed:
            pass  # it is kept; the next connection gets it

    def _frame(self, stored: Stored) -> dict[str, Any]:
        common: object = "Common" if self.command_form == "name" else _ORDINALS["Common"]
        return {"id": stored.id, "commandType": common, "time": int(self.clock() * 1000),
                "sendTime": stored.send_time,
                "message": {"type": stored.topic, "mallID": stored.mall_id, "content": stored.content}}

    def _receive(self, raw: str | bytes) -> None:
        try:
            frame = json.loads(raw)
        except ValueError:
            return
        if not isinstance(frame, dict):
            return
        with self._lock:
            self.frames.append(frame)
            kind = _command(frame.get("commandType"))
            if kind == "HeartBeat":
                self.heartbeats += 1
            elif kind == "Ack":
                ident = frame.get("id")
                stored = self._pending.get(ident) if isinstance(ident, int) else None
                if stored is not None and frame.get("type") == stored.topic and frame.get("mallID") == stored.mall_id:
                    del self._pending[stored.id]
                    self.acks.append(frame)
            self._lock.notify_all()
