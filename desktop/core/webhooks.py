"""SeatDesk's webhook receiver: where Shopify, WooCommerce or Doudian POST their events.

A desktop app has no public address. The user runs this receiver on a local port
(setting `webhooks.listen`, e.g. "127.0.0.1:8787") behind an address they own — a reverse
proxy or a tunnel — and tells SeatDesk that address (`webhooks.public_url`). Each shop's
URL is `{public_url}/webhooks/{shop id}`; the user registers it with the platform.

A platform that pushes every shop of one app to a single URL (抖店 configures one push URL
per app) gets `{public_url}/webhooks/{platform id}` instead: each request goes to every shop
of that platform synced here, each adapter takes its own shop's messages, and the platform
hears the first 2xx answer (else the first answer).

A request is handed to the shop's adapter (desktop.sdk.push) on the engine's loop; the
adapter checks the platform's signature and answers. The receiver itself only routes and
guards: POST only, a body within `MAX_BODY_BYTES`, a known shop synced by this app, an
answer within `ANSWER_TIMEOUT_S` (else 503, and the platform sends it again; the pulls
stay the truth either way). `GET /webhooks/health` answers "ok" for checking a tunnel.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from desktop.sdk.push import MAX_BODY_BYTES, WebhookDelivery, WebhookQueue, WebhookReply

log = logging.getLogger("seatdesk.webhooks")

ANSWER_TIMEOUT_S = 4.5  # Shopify gives 5 s in all; the others are no stricter
_SHOP_PATH = re.compile(r"^/webhooks/(\d+)/?(?:\?.*)?$")
_PLATFORM_PATH = re.compile(r"^/webhooks/([a-z][a-z0-9_-]{0,63})/?(?:\?.*)?$")


def parse_listen(listen: str) -> tuple[str, int] | None:
    """ "host:port" (or a bare port, on 127.0.0.1) → (host, port); None when empty or bad."""
    text = listen.strip()
    if not text:
        return None
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    try:
        number = int(port)
    except ValueError:
        return None
    return (host, number) if 0 <= number < 65536 else None


def shop_url(public_url: str, shop_id: int) -> str:
    """What the user registers with the platform for this shop."""
    return f"{public_url.rstrip('/')}/webhooks/{shop_id}"


def platform_url(public_url: str, platform: str) -> str:
    """One URL for every shop of a platform (a push URL configured per app, not per shop)."""
    return f"{public_url.rstrip('/')}/webhooks/{platform}"


class WebhookReceiver:
    """The HTTP listener (its own thread) and one delivery queue per synced shop."""

    def __init__(self, listen: str, public_url: str) -> None:
        self.listen = listen
        self.public_url = public_url.strip()
        self._queues: dict[int, WebhookQueue] = {}
        self._platforms: dict[int, str] = {}  # shop id → platform id
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.received = 0  # counters for the log and tests
        self.refused = 0

    @property
    def address(self) -> tuple[str, int] | None:
        """Where it listens (the real port when `listen` asked for port 0)."""
        if self._server is None:
            return None
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    # -- life cycle ---------------------------------------------------------------------------
    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Listen; raises OSError when the address is taken or not ours."""
        where = parse_listen(self.listen)
        if where is None:
            raise ValueError(f"webhooks.listen {self.listen!r} is not host:port")
        self._loop = loop
        server = ThreadingHTTPServer(where, _Handler)
        server.daemon_threads = True
        server.receiver = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="seatdesk-webhooks", daemon=True)
        self._thread.start()
        log.info("webhook receiver on %s:%s for %s", *self.address or ("?", "?"), self.public_url)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = self._thread = None

    # -- shops (engine thread) ---------------------------------------------------------------
    def open_shop(self, shop_id: int, platform: str = "") -> WebhookQueue:
        queue = WebhookQueue(shop_url(self.public_url, shop_id))
        with self._lock:
            self._queues[shop_id] = queue
            self._platforms[shop_id] = platform
        return queue

    def close_shop(self, shop_id: int, queue: WebhookQueue | None = None) -> None:
        with self._lock:
            if queue is None or self._queues.get(shop_id) is queue:
                self._queues.pop(shop_id, None)
                self._platforms.pop(shop_id, None)

    def shops_of(self, platform: str) -> list[int]:
        with self._lock:
            return sorted(s for s, p in self._platforms.items() if p == platform)

    # -- a request (receiver thread) ---------------------------------------------------------
    def handle(self, shop_id: int, delivery: WebhookDelivery) -> WebhookReply:
        return self.handle_many([shop_id], lambda: delivery)

    def handle_platform(self, platform: str, headers: dict[str, str], body: bytes,
                        path: str = "/") -> WebhookReply:
        """A request to the platform's one URL: every shop of it synced here gets its own
        copy; the platform hears the first 2xx answer, else the first answer."""
        return self.handle_many(self.shops_of(platform),
                                lambda: WebhookDelivery(headers, body, method="POST", path=path))

    def handle_many(self, shop_ids: list[int], make: Callable[[], WebhookDelivery]) -> WebhookReply:
        loop = self._loop
        with self._lock:
            queues = [q for q in (self._queues.get(s) for s in shop_ids) if q is not None]
        if not queues or loop is None or loop.is_closed():
            # not a shop of ours, or synced by another seat's app: the platform retries
            return WebhookReply(503, b"shop not synced here")
        self.received += 1
        deliveries = [make() for _ in queues]
        offered: concurrent.futures.Future[list[bool]] = concurrent.futures.Future()

        def offer() -> None:
            offered.set_result([q.offer(d) for q, d in zip(queues, deliveries)])
        try:
            loop.call_soon_threadsafe(offer)
            taken = offered.result(ANSWER_TIMEOUT_S)
        except (concurrent.futures.TimeoutError, RuntimeError):
            return WebhookReply(503, b"busy")
        waiting = [d for d, ok in zip(deliveries, taken) if ok]
        if not waiting:
            return WebhookReply(503, b"busy")
        done, _ = concurrent.futures.wait([d.answer for d in waiting], ANSWER_TIMEOUT_S)
        for d in waiting:
            d.reply(503, b"no answer in time")  # a late answer of the adapter is ignored
        replies = [d.answer.result() for d in waiting]
        return next((r for r in replies if 200 <= r.status < 300), replies[0])


class _Handler(BaseHTTPRequestHandler):
    server_version = "SeatDesk-webhooks"
    protocol_version = "HTTP/1.1"

    @property
    def receiver(self) -> WebhookReceiver:
        return self.server.receiver  # type: ignore[attr-defined, no-any-return]

    def do_GET(self) -> None:  # noqa: N802
        if self.path.rstrip("/") == "/webhooks/health":
            self._answer(WebhookReply(200, b"ok"))
        else:
            self._answer(WebhookReply(404, b"not found"))

    def do_POST(self) -> None:  # noqa: N802
        match = _SHOP_PATH.match(self.path)
        by_platform = None if match else _PLATFORM_PATH.match(self.path)
        length_text = self.headers.get("Content-Length")
        if match is None and by_platform is None:
            self._refuse(404, b"not found")
            return
        if length_text is None or not length_text.strip().isdigit():
            self._refuse(411, b"length required")
            return
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            self._refuse(413, b"body too large")
            return
        body = self.rfile.read(length)
        headers = {name: value for name, value in self.headers.items()}
        if match is not None:
            reply = self.receiver.handle(int(match.group(1)),
                                         WebhookDelivery(headers, body, method="POST", path=self.path))
        else:
            assert by_platform is not None
            reply = self.receiver.handle_platform(by_platform.group(1), headers, body, self.path)
        if reply.status >= 400:
            self.receiver.refused += 1
            log.info("webhook %s answered %s: %s", self.path, reply.status,
                     reply.body[:200].decode("utf-8", "replace"))
        self._answer(reply)

    def _refuse(self, status: int, body: bytes) -> None:
        self.receiver.refused += 1
        self.close_connection = True
        self._answer(WebhookReply(status, body))

    def _answer(self, reply: WebhookReply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.debug("webhook %s", format % args)
