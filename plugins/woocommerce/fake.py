"""A local fake of one WooCommerce site: a loopback HTTP server speaking the REST API v3 of
research/platform-apis.md §7 and §10, with the conformance kit's FakePlatform switches.

Served below /wp-json/wc/v3: GET /orders (filters, `orderby`, X-WP-Total / X-WP-TotalPages and
Link headers), GET /orders/{id}, GET and POST /orders/{id}/notes. Authentication: HTTP Basic
`consumer_key:consumer_secret`, or the two as query parameters; WordPress's error envelope
`{"code", "message", "data": {"status"}}` for every refusal. The fake is plain HTTP on loopback
but plays an HTTPS site (real WooCommerce takes Basic auth over HTTPS only).

It also builds the webhook deliveries the site would POST to a delivery URL (§7, WC_Webhook::deliver):
signed order.created / updated / restored bodies (the order as GET /orders/{id} renders it,
wp_json_encode'd), order.deleted `{"id": N}` and the unsigned creation ping. WooCommerce never
sends a delivery again, so the fake keeps no outbox: a lost delivery is left to the pulls.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets as token_source
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desktop.sdk.loopback import LoopbackFake
from desktop.sdk.signing import constant_time_equal

from .fakestore import FakeShop, Refusal
from .protocol import API_PREFIX
from .webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    ID_HEADER,
    RESOURCE_HEADER,
    SIGNATURE_HEADER,
    SOURCE_HEADER,
    TOPIC_HEADER,
    php_json,
    webhook_signature,
)

# [UNVERIFIED] WooCommerce has no REST rate limit of its own; this is what a host or security
# plugin in front of it answers (HTTP 429 with Retry-After).
RATE_LIMIT_RETRY_AFTER = "30"
USER_AGENT = "WooCommerce/8.9.1 Hookshot (WordPress/6.5.3)"  # WC_Webhook::deliver's user-agent
# What WordPress's fatal-error handler answers a REST request with.
FATAL = {"code": "internal_server_error",
         "message": "<p>There has been a critical error on this website.</p>",
         "data": {"status": 500}, "additional_errors": []}


class WooCommerceFake(LoopbackFake):
    """One site: `with WooCommerceFake() as fake:` serves it on 127.0.0.1 until the block ends."""

    platform_shop_id = "shop.example.cn"

    def __init__(self, clock: Callable[[], datetime] | None = None, seed: int = 20240501) -> None:
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.lock = threading.Lock()
        self.shop = FakeShop(lambda: self.clock(), seed)
        self.consumer_key = "ck_" + token_source.token_hex(20)
        self.consumer_secret = "cs_" + token_source.token_hex(20)
        self.keys = {self.consumer_key: (self.consumer_secret, "read_write")}  # key → (secret, permissions)
        self.webhook_id = 17
        self.webhook_secret = "whsec-" + token_source.token_hex(8)
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []  # (method, route, query) served
        self.posted: list[object] = []  # decoded JSON bodies of the notes POSTed
        self.drop_paging_headers = False
        self._limited = 0
        self._failing = 0
        self._garbled = 0

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    # -- FakePlatform ------------------------------------------------------------------------------------
    def settings(self) -> dict[str, object]:
        return {"base_url": self.url}

    def secrets(self) -> dict[str, str]:
        return {"consumer_key": self.consumer_key, "consumer_secret": self.consumer_secret,
                "webhook_secret": self.webhook_secret}

    def add_orders(self, n: int) -> list[str]:
        with self.lock:
            return [str(self.shop.add_order().order_id) for _ in range(n)]

    def touch_order(self, order_id: str) -> None:
        with self.lock:
            self.shop.touch(order_id)

    def add_messages(self, n: int) -> list[str]:
        raise NotImplementedError("WooCommerce has no buyer chat")

    def memo(self, order_id: str) -> tuple[str, int | None]:
        """The latest private note a person wrote; WooCommerce has no flags."""
        with self.lock:
            return self.shop.memo(int(order_id)), None

    def expire_token(self) -> None:
        """The shop owner revokes the REST key in wp-admin."""
        with self.lock:
            self.keys.pop(self.consumer_key, None)

    def limit_calls(self, n: int = 1) -> None:
        with self.lock:
            self._limited += n

    def fail(self, n: int = 1) -> None:
        with self.lock:
            self._failing += n

    # -- more switches for the adapter's own tests ----------------------------------------------------
    def garble(self, n: int = 1) -> None:
        """The next n calls answer 200 with a cut-off JSON body."""
        with self.lock:
            self._garbled += n

    def set_key_permissions(self, permissions: str) -> None:
        """"read", "write" or "read_write", as chosen when the key was created."""
        with self.lock:
            self.keys[self.consumer_key] = (self.consumer_secret, permissions)

    def routes(self, method: str | None = None) -> list[str]:
        with self.lock:
            return [route for m, route, _ in self.requests if method is None or m == method]

    # -- webhooks [SPEC]: what the site POSTs to a delivery URL ------------------------------------------
    def webhook_for(self, order_id: str) -> tuple[dict[str, str], bytes]:
        """The conformance kit's webhook: the signed order.updated delivery of the order as it is now."""
        return self.webhook_delivery(order_id, "order.updated")

    def webhook_delivery(self, order_id: str, topic: str = "order.updated", *,
                         source: str | None = None) -> tuple[dict[str, str], bytes]:
        """(headers, raw body) of one delivery, as WC_Webhook::deliver sends it. `source` overrides
        X-WC-Webhook-Source (home_url('/'), this site's address) to play another site."""
        resource, event = topic.split(".", 1)
        with self.lock:
            # [CORE] build_payload: a deleted resource is only its id; the others are the REST order
            payload: object = {"id": int(order_id)} if event == "deleted" else self.shop.get_order(int(order_id))
        body = php_json(payload)
        headers = {
            "User-Agent": USER_AGENT, "Content-Type": "application/json",
            SOURCE_HEADER: source if source is not None else self.url + "/",
            TOPIC_HEADER: topic, RESOURCE_HEADER: resource, EVENT_HEADER: event,
            SIGNATURE_HEADER: webhook_signature(body, self.webhook_secret),
            ID_HEADER: str(self.webhook_id), DELIVERY_HEADER: token_source.token_hex(16),  # wp_hash: 32 hex
        }
        return headers, body

    def ping_delivery(self) -> tuple[dict[str, str], bytes]:
        """WC_Webhook::deliver_ping: form body `webhook_id=<id>`, no signature headers."""
        return ({"User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"},
                f"webhook_id={self.webhook_id}".encode())

    def trash_order(self, order_id: str) -> None:
        """The shop manager moves the order to the trash (what fires order.deleted)."""
        with self.lock:
            self.shop.trash(int(order_id))

    def delete_order(self, order_id: str) -> None:
        """The order is deleted for good (emptied from the trash)."""
        with self.lock:
            self.shop.delete(int(order_id))

    # -- the REST API ------------------------------------------------------------------------------------
    def serve(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str],
              body: bytes) -> tuple[int, Any, dict[str, str]]:
        """→ (status, JSON or raw text, extra headers)."""
        with self.lock:
            if self._failing:
                self._failing -= 1
                return 500, FATAL, {}
            if self._garbled:
                self._garbled -= 1
                return 200, '[{"id":10001,"status":"process', {}
            if not path.startswith(API_PREFIX + "/"):
                return 404, _no_route(), {}
            route = path.removeprefix(API_PREFIX)
            try:
                self._authenticate(method, query, headers)
                if self._limited:
                    self._limited -= 1
                    return 429, {"code": "too_many_requests", "message": "Too many requests, slow down.",
                                 "data": {"status": 429}}, {"Retry-After": RATE_LIMIT_RETRY_AFTER}
                status, payload, extra = self._dispatch(method, route, query, body)
            except Refusal as exc:
                return exc.status, exc.body(), {}
            self.requests.append((method, route, query))
            if self.drop_paging_headers:
                extra = {k: v for k, v in extra.items() if not k.startswith("X-WP-")}
            return status, payload, extra

    def _authenticate(self, method: str, query: dict[str, list[str]], headers: dict[str, str]) -> None:
        """WC_REST_Authentication over HTTPS: Basic, else the query parameters; then permissions."""
        key = secret = None
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("basic "):
            try:
                key, _, secret = base64.b64decode(authorization[6:].strip(), validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                key = secret = None
        if key is None and "consumer_key" in query:
            key, secret = query["consumer_key"][-1], query.get("consumer_secret", [""])[-1]
        if key is None:
            if method == "GET":
                raise Refusal(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
            raise Refusal(401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.")
        known = self.keys.get(key)
        if known is None:
            raise Refusal(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
        if not constant_time_equal(secret or "", known[0]):
            raise Refusal(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
        needed = "read" if method in ("GET", "HEAD", "OPTIONS") else "write"
        if needed not in known[1]:
            raise Refusal(401, "woocommerce_rest_authentication_error",
                          f"The API key provided does not have {needed} permissions.")

    def _dispatch(self, method: str, route: str, query: dict[str, list[str]],
                  body: bytes) -> tuple[int, Any, dict[str, str]]:
        parts = route.strip("/").split("/")
        if parts == ["orders"] and method == "GET":
            orders, headers = self.shop.list_orders(query)
            return 200, orders, headers
        if len(parts) >= 2 and parts[0] == "orders" and parts[1].isdigit():
            order_id = int(parts[1])
            if len(parts) == 2 and method == "GET":
                return 200, self.shop.get_order(order_id), {}
            if parts[2:] == ["notes"] and method == "GET":
                return 200, self.shop.list_notes(order_id, query), {}
            if parts[2:] == ["notes"] and method == "POST":
                try:
                    decoded = json.loads(body.decode("utf-8") or "{}")
                except (UnicodeDecodeError, ValueError):
                    raise Refusal(400, "rest_invalid_json", "Invalid JSON body passed.") from None
                self.posted.append(decoded)
                note = self.shop.create_note(order_id, decoded)
                return 201, note, {"Location": f"{API_PREFIX}/orders/{order_id}/notes/{note['id']}"}
        raise Refusal(404, "rest_no_route", "No route was found matching the URL and request method.")


def _no_route() -> dict[str, Any]:
    return Refusal(404, "rest_no_route", "No route was found matching the URL and request method.").body()


class _Handler(BaseHTTPRequestHandler):
    server_version = "Apache"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet: tests read the fake's state, not its access log

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve("PUT")

    def do_DELETE(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        fake: WooCommerceFake = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, payload, extra = fake.serve(method, parts.path, query, headers, body)
        raw = isinstance(payload, str)
        data = (payload if raw else json.dumps(payload, ensure_ascii=False)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
