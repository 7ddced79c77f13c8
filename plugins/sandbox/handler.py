"""HTTP request handling: authentication, /api and /admin routes, faults, JSON replies."""

from __future__ import annotations

import ipaddress
import json
import logging
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from desktop.sdk.signing import constant_time_equal

from .model import Shop
from .protocol import (
    AUTH_PARAMS,
    PAGE_LIMIT_DEFAULT,
    PAGE_LIMIT_MAX,
    PUSH_TIMEOUT_DEFAULT,
    PUSH_TIMEOUT_MAX,
    TIMESTAMP_WINDOW_S,
    decode_cursor,
    encode_cursor,
    error_body,
    sign,
)
from .store import ApiError

if TYPE_CHECKING:
    from .server import SandboxServer

log = logging.getLogger("seatdesk.plugin.sandbox")

Reply = tuple[int, dict[str, Any]]
_FEEDS = {"/api/messages", "/api/orders", "/api/push"}  # the replies `malformed` may break


def _dumps(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _int_param(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"invalid_{name}", f"{name} must be an integer, got {raw!r}") from None
    if value < low:
        raise ApiError(400, f"invalid_{name}", f"{name} must be at least {low}")
    return min(value, high)


def _cursor(params: dict[str, str], kind: str) -> int | None:
    raw = params.get("cursor", "")
    if not raw:
        return None
    try:
        return decode_cursor(kind, raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_cursor", str(exc)) from None


class SandboxHandler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive, so one thread serves many requests."""

    protocol_version = "HTTP/1.1"
    server_version = "SeatDeskSandbox/1"
    # Headers and body go out as separate writes; without TCP_NODELAY, Nagle
    # plus delayed ACKs can hold the body back ~40 ms and break the latency target.
    disable_nagle_algorithm = True
    timeout = 120  # an idle keep-alive connection is let go after this

    @property
    def app(self) -> SandboxServer:
        return self.server.app  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    # -- plumbing --

    def _dispatch(self, method: str) -> None:
        self.server.mark_busy(self.connection, True)  # type: ignore[attr-defined]
        try:
            self._handle(method)
        finally:
            self.server.mark_busy(self.connection, False)  # type: ignore[attr-defined]

    def _handle(self, method: str) -> None:
        split = urlsplit(self.path)
        params = dict(parse_qsl(split.query, keep_blank_values=True))
        try:
            body = self._read_body()
        except ApiError as exc:
            self.close_connection = True  # the body may be unread: the stream is out of step
            self._reply(exc.status, error_body(exc.code, exc.message))
            return
        if split.path.startswith("/api/"):
            self._api(method, split.path, params, body)
        elif split.path.startswith("/admin/"):
            self._admin(method, split.path, body)
        else:
            self._reply(404, error_body("not_found", f"no route {split.path}"))

    def _read_body(self) -> str:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise ApiError(400, "invalid_body", "bad Content-Length") from None
        raw = self.rfile.read(length) if length > 0 else b""
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "invalid_body", "body is not UTF-8") from None

    def _reply(
        self, status: int, payload: object, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> None:
        data = _dumps(payload) if body is None else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _json_body(self, body: str) -> dict[str, Any]:
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_body", "the body must be a JSON object")
        return data

    # -- /api --

    def _api(self, method: str, path: str, params: dict[str, str], body: str) -> None:
        app = self.app
        plan = app.faults.plan()
        if plan.latency_s and app.stopping.wait(plan.latency_s):
            self.close_connection = True
            return
        if plan.drop_before:
            self.close_connection = True  # no reply at all: the client sees a disconnect
            return
        if plan.status == 429:
            retry = app.faults.spec.retry_after
            self._reply(429, error_body("rate_limited", "too many requests"), headers={"Retry-After": f"{retry:g}"})
            return
        if plan.status == 503:
            self._reply(503, error_body("service_unavailable", "the platform is having a moment"))
            return
        shop: Shop | None = None
        try:
            shop = self._authenticate(params, body)
            status, payload = self._route_api(method, path, shop, params, body)
        except ApiError as exc:
            status, payload = exc.status, error_body(exc.code, exc.message)
        except Exception:  # a sandbox bug must still answer, or the client hangs
            log.exception("sandbox failed on %s %s", method, path)
            status, payload = 500, error_body("internal_error", "sandbox bug; see the server log")
        if plan.drop_after:
            self.close_connection = True
            return
        if plan.malformed and status == 200 and path in _FEEDS and shop is not None:
            self._reply(status, None, body=app.faults.malform(payload, shop.platform))
        else:
            self._reply(status, payload)

    def _authenticate(self, params: dict[str, str], body: str) -> Shop:
        missing = [name for name in (*AUTH_PARAMS, "sign") if not params.get(name)]
        if missing:
            raise ApiError(400, "missing_parameter", f"missing {', '.join(missing)}")
        shop = self.app.store.shop(params["shop_id"])
        creds = shop.credentials
        if params["app_key"] != creds.app_key:
            raise ApiError(401, "invalid_app_key", "app_key does not belong to this shop")
        to_sign: dict[str, object] = {k: v for k, v in params.items() if k != "sign"}
        if body:
            to_sign["body"] = body
        if not constant_time_equal(sign(to_sign, creds.app_secret), params["sign"]):
            raise ApiError(401, "invalid_signature", "signature does not match")
        try:
            skew = abs(time.time() - int(params["timestamp"]))
        except ValueError:
            raise ApiError(401, "timestamp_expired", "timestamp must be unix seconds") from None
        if skew > TIMESTAMP_WINDOW_S:
            raise ApiError(401, "timestamp_expired", f"timestamp is {skew:.0f} s off")
        if not shop.token_valid or params["access_token"] != creds.access_token:
            raise ApiError(401, "token_expired", "access token is unknown or expired")
        return shop

    def _route_api(self, method: str, path: str, shop: Shop, params: dict[str, str], body: str) -> Reply:
        store = self.app.store
        if (method, path) == ("GET", "/api/ping"):
            info = {"platform_shop_id": shop.platform_shop_id, "name": shop.name, "platform": shop.platform}
            return 200, {"ok": True, "shop": info}
        if (method, path) == ("GET", "/api/messages"):
            limit = _int_param(params, "limit", PAGE_LIMIT_DEFAULT, 1, PAGE_LIMIT_MAX)
            records, end, more = store.messages_page(shop, _cursor(params, "messages") or 0, limit)
            return 200, {"messages": records, "next_cursor": encode_cursor("messages", end), "has_more": more}
        if (method, path) == ("GET", "/api/orders"):
            limit = _int_param(params, "limit", PAGE_LIMIT_DEFAULT, 1, PAGE_LIMIT_MAX)
            records, end, more = store.orders_page(shop, _cursor(params, "orders") or 0, limit)
            return 200, {"orders": records, "next_cursor": encode_cursor("orders", end), "has_more": more}
        if (method, path) == ("GET", "/api/push"):
            try:
                timeout = float(params.get("timeout") or PUSH_TIMEOUT_DEFAULT)
            except ValueError:
                raise ApiError(400, "invalid_timeout", "timeout must be seconds") from None
            timeout = min(max(timeout, 0.0), PUSH_TIMEOUT_MAX)
            events, end = store.push_wait(shop, _cursor(params, "push"), timeout)
            return 200, {"events": events, "next_cursor": encode_cursor("push", end)}
        if (method, path) == ("POST", "/api/messages/send"):
            data = self._json_body(body)
            msg_id = store.send(shop, data.get("conversation_id"), data.get("text"), data.get("client_msg_id"))
            return 200, {"msg_id": msg_id}
        if (method, path) == ("POST", "/api/orders/remark"):
            data = self._json_body(body)
            modified, replayed = store.remark(
                shop, data.get("order_id"), data.get("memo"), data.get("flag"), data.get("client_key")
            )
            return 200, {"ok": True, "modified": modified, "replayed": replayed}
        if (method, path) == ("POST", "/api/conversations/transfer"):
            data = self._json_body(body)
            store.transfer(
                shop,
                data.get("conversation_id"),
                data.get("to_account"),
                data.get("reason", ""),
                data.get("client_key"),
            )
            return 200, {"ok": True}
        known = {
            "/api/ping",
            "/api/messages",
            "/api/orders",
            "/api/push",
            "/api/messages/send",
            "/api/orders/remark",
            "/api/conversations/transfer",
        }
        if path in known:
            raise ApiError(405, "method_not_allowed", f"{method} is not allowed on {path}")
        raise ApiError(404, "not_found", f"no route {path}")

    # -- /admin (no auth; loopback only) --

    def _admin(self, method: str, path: str, body: str) -> None:
        try:
            loopback = ipaddress.ip_address(self.client_address[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            self._reply(403, error_body("forbidden", "admin endpoints answer loopback clients only"))
            return
        route = _ADMIN.get((method, path))
        try:
            if route is None:
                raise ApiError(404, "not_found", f"no route {method} {path}")
            payload = route(self, self._json_body(body) if method == "POST" and body else {})
            self._reply(200, payload)
        except ApiError as exc:
            self._reply(exc.status, error_body(exc.code, exc.message))
        except Exception:
            log.exception("sandbox admin failed on %s %s", method, path)
            self._reply(500, error_body("internal_error", "sandbox bug; see the server log"))

    def _admin_shop(self, data: dict[str, Any], *aliases: str) -> Shop:
        shop_id = data.get("shop_id")
        for alias in aliases:
            shop_id = data.get(alias) if shop_id is None else shop_id
        if not isinstance(shop_id, str):
            raise ApiError(400, "missing_parameter", "shop_id is required")
        return self.app.store.shop(shop_id)

    def _admin_set_memo(self, data: dict[str, Any]) -> dict[str, Any]:
        """The seller's edit in the platform's web back office: no client key, never deduplicated."""
        shop = self._admin_shop(data, "shop")
        if "memo" not in data:
            raise ApiError(400, "missing_parameter", "memo is required")
        modified = self.app.store.set_memo(shop, data.get("order_id"), data["memo"], data.get("flag"))
        return {"ok": True, "modified": modified}

    def _admin_buyer_says(self, data: dict[str, Any]) -> dict[str, Any]:
        shop = self._admin_shop(data)
        text, buyer_id, conversation_id = data.get("text"), data.get("buyer_id"), data.get("conversation_id")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "empty_text", "text must be a non-empty string")
        for name, value in (("buyer_id", buyer_id), ("conversation_id", conversation_id)):
            if value is not None and (not isinstance(value, str) or not value):
                raise ApiError(400, f"invalid_{name}", f"{name} must be a non-empty string")
        return self.app.store.buyer_says(shop, text, buyer_id, conversation_id)

    def _admin_pay(self, data: dict[str, Any]) -> dict[str, Any]:
        """The buyer pays an unpaid order (what a dunning hopes for)."""
        shop = self._admin_shop(data)
        return {"ok": True, "paid_at": self.app.store.pay(shop, data.get("order_id"))}

    def _admin_set_faults(self, data: dict[str, Any]) -> dict[str, Any]:
        spec = data.get("spec", "")
        if not isinstance(spec, str):
            raise ApiError(400, "invalid_fault_spec", "spec must be a string")
        try:
            return {"spec": str(self.app.faults.set(spec))}
        except ValueError as exc:
            raise ApiError(400, "invalid_fault_spec", str(exc)) from None

    def _admin_token(self, data: dict[str, Any], valid: bool) -> dict[str, Any]:
        shop = self._admin_shop(data)
        with self.app.store.lock:
            shop.token_valid = valid
        return {"ok": True, "token_valid": valid}

    def _admin_tick(self, data: dict[str, Any]) -> dict[str, Any]:
        n = data.get("n", 1)
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 100_000:
            raise ApiError(400, "invalid_n", "n must be an integer in 0..100000")
        self.app.simulator.run_ticks(n)
        return {"ticks": self.app.simulator.ticks}

    def _admin_rate(self, data: dict[str, Any]) -> dict[str, Any]:
        rate = data.get("rate")
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate < 0:
            raise ApiError(400, "invalid_rate", "rate must be a number ≥ 0 (buyer messages per second)")
        self.app.set_rate(float(rate))
        return {"rate": self.app.rate}

    def _admin_stats(self, data: dict[str, Any]) -> dict[str, Any]:
        app = self.app
        return {"shops": app.store.stats(), "ticks": app.simulator.ticks, "paused": app.paused, "rate": app.rate}


def _pause(handler: SandboxHandler, data: dict[str, Any]) -> dict[str, Any]:
    handler.app.pause()
    return {"ok": True, "paused": True}


def _resume(handler: SandboxHandler, data: dict[str, Any]) -> dict[str, Any]:
    handler.app.resume()
    return {"ok": True, "paused": False}


_ADMIN: dict[tuple[str, str], Callable[[SandboxHandler, dict[str, Any]], dict[str, Any]]] = {
    ("GET", "/admin/ledger"): lambda h, d: h.app.store.ledger(),
    ("GET", "/admin/stats"): SandboxHandler._admin_stats,
    ("GET", "/admin/shops"): lambda h, d: {"shops": h.app.shops},
    ("GET", "/admin/faults"): lambda h, d: {"spec": str(h.app.faults.spec)},
    ("POST", "/admin/faults"): SandboxHandler._admin_set_faults,
    ("POST", "/admin/pause"): _pause,
    ("POST", "/admin/resume"): _resume,
    ("POST", "/admin/tick"): SandboxHandler._admin_tick,
    ("POST", "/admin/rate"): SandboxHandler._admin_rate,
    ("POST", "/admin/buyer-says"): SandboxHandler._admin_buyer_says,
    ("POST", "/admin/pay"): SandboxHandler._admin_pay,
    ("POST", "/admin/set-memo"): SandboxHandler._admin_set_memo,
    ("POST", "/admin/expire-token"): lambda h, d: h._admin_token(d, False),
    ("POST", "/admin/restore-token"): lambda h, d: h._admin_token(d, True),
}
