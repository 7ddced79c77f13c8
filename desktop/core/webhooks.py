"""SeatDesk's webhook receiver: where Shopify, WooCommerce or Doudian POST their events.

A desktop app has no public address. The user runs this receiver on a local port
(setting `webhooks.listen`, e.g. "127.0.0.1:8787") behind an address they own — a reverse
proxy or a tunnel — and tells SeatDesk that address (`webhooks.public_url`). Each shop's
URL is `{public_url}/webhooks/{shop id}`; the user registers it with the platform.

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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from desktop.sdk.push import MAX_BODY_BYTES, WebhookDelivery, WebhookQueue, WebhookReply

log = logging.getLogger("seatdesk.webhooks")

ANSWER_TIMEOUT_S = 4.5  # Shopify gives 5 s in all; the others are no stricter
_SHOP_PATH = re.compile(r"^/webhooks/(\d+)/?(?:\?.*)?$")


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


class WebhookReceiver:
    """The HTTP listener (its own thread) and one delivery queue per synced shop."""

    def __init__(self, listen: str, public_url: str) -> None:
        self.listen = listen
        self.public_url = public_url.strip()
        self._queues: dict[int, WebhookQueue] = {}
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
    def open_shop(self, shop_id: int) -> WebhookQueue:
        queue = WebhookQueue(shop_url(self.public_url, shop_id))
        with self._lock:
            self._queues[shop_id] = queue
        return queue

    def close_shop(self, shop_id: int, queue: WebhookQueue | None = None) -> None:
        with self._lock:
            if queue is None or self._queues.get(shop_id) is queue:
                self._queues.pop(shop_id, None)

    # -- a request (receiver thread) ---------------------------------------------------------
    def handle(self, shop_id: int, delivery: WebhookDelivery) -> WebhookReply:
        with self._lock:
            queue = self._queues.get(shop_id)
        loop = self._loop
        if queue is None or loop is None or loop.is_closed():
            # not a shop of ours, or synced by another seat's app: the platform retries
            return WebhookReply(503, b"shop not synced here")
        self.received += 1
        offered: concurrent.futures.Future[bool] = concurrent.futures.Future()

        def offer() -> None:
            offered.set_result(queue.offer(delivery))
        try:
            loop.call_soon_threadsafe(offer)
            if not offered.result(ANSWER_TIMEOUT_S):
                return WebhookReply(503, b"busy")
            return delivery.answer.result(ANSWER_TIMEOUT_S)
        except (concurrent.futures.TimeoutError, RuntimeError):
            delivery.reply(503, b"no answer in time")  # a late answer of the adapter is ignored
            return WebhookReply(503, b"no answer in time")


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
        length_text = self.headers.get("Content-Length")
        if match is None:
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
        delivery = WebhookDelivery(headers, body, method="POST", path=self.path)
        reply = self.receiver.handle(int(match.group(1)), delivery)
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
