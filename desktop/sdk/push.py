"""Webhook deliveries: how a platform that POSTs its events (Shopify, WooCommerce, Doudian)
reaches an adapter's `push()`.

A desktop app has no public address. The user runs SeatDesk's webhook receiver behind one
they own (a reverse proxy or tunnel) and registers `{public URL}/webhooks/{shop}` with the
platform. The receiver hands each request to the shop's adapter through
`AdapterContext.webhooks`; the adapter checks the signature, answers the request with
`WebhookDelivery.reply`, and yields the events it stands for::

    async def push(self):
        hooks = self.ctx.webhooks
        if hooks is None:
            raise PushUnavailable("no public webhook URL is set up; orders are polled")
        async for delivery in hooks:
            if not verify(delivery.body, delivery.header("X-Signature"), secret):
                delivery.reply(401, b"bad signature")
                continue
            delivery.reply(200)
            yield await self._order(order_id_of(delivery.body))

Answer as soon as the request is verified: platforms give a few seconds and retry or
disable an endpoint that is slow. An unanswered delivery gets 503 from the receiver (the
platform sends it again). Pulls stay the truth: a delivery whose follow-up call fails is
logged and left to the next pull.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

MAX_BODY_BYTES = 5 * 1024 * 1024  # the receiver refuses larger bodies (413) before any adapter sees them


@dataclass(frozen=True, slots=True)
class WebhookReply:
    """What the receiver answers the platform."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"


class WebhookDelivery:
    """One request the platform made to this shop's webhook URL, answered exactly once.

    `headers` keys are lower-case; `body` is the raw bytes as received (signatures are
    over these bytes, never over re-encoded JSON)."""

    __slots__ = ("method", "path", "headers", "body", "received_at", "answer")

    def __init__(self, headers: Mapping[str, str], body: bytes, *, method: str = "POST",
                 path: str = "/", received_at: datetime | None = None) -> None:
        self.method = method
        self.path = path
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.body = body
        self.received_at = received_at or datetime.now(timezone.utc)
        # a thread-safe future: the receiver waits on it from its own thread
        self.answer: concurrent.futures.Future[WebhookReply] = concurrent.futures.Future()

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def answered(self) -> bool:
        return self.answer.done()

    def reply(self, status: int = 200, body: bytes = b"",
              content_type: str = "text/plain; charset=utf-8") -> None:
        """Answer the platform. Later calls are ignored (the first answer went out)."""
        if not self.answer.done():
            try:
                self.answer.set_result(WebhookReply(status, body, content_type))
            except concurrent.futures.InvalidStateError:  # answered from another thread meanwhile
                pass


class WebhookQueue:
    """One shop's webhook deliveries in arrival order: what `AdapterContext.webhooks` holds.

    The receiver `offer`s on the engine's loop; the adapter iterates. `deliver` is the
    same from a test: offer a request and wait for the adapter's answer."""

    def __init__(self, public_url: str, maxsize: int = 1000) -> None:
        self.public_url = public_url  # what the user registers with the platform
        self._queue: asyncio.Queue[WebhookDelivery] = asyncio.Queue(maxsize)

    def offer(self, delivery: WebhookDelivery) -> bool:
        """Queue a delivery (on the loop's thread); False when the shop is too far behind."""
        try:
            self._queue.put_nowait(delivery)
        except asyncio.QueueFull:
            return False
        return True

    def __aiter__(self) -> AsyncIterator[WebhookDelivery]:
        return self

    async def __anext__(self) -> WebhookDelivery:
        return await self._queue.get()

    async def deliver(self, headers: Mapping[str, str], body: bytes,
                      timeout: float = 10.0) -> WebhookReply:
        delivery = WebhookDelivery(headers, body)
        if not self.offer(delivery):
            return WebhookReply(503, b"queue full")
        return await asyncio.wait_for(asyncio.wrap_future(delivery.answer), timeout)
