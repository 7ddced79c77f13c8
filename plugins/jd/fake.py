"""A local fake of one JD POP shop on JOS: a loopback HTTP server speaking the wire protocol
of research/platform-apis.md §5 and §10, with the conformance kit's FakePlatform switches.

Served: POST/GET /routerjson (form or query params; `360buy_param_json`; MD5 sign checked;
timestamp ±6 min; app_key, v, method, access_token checked; `<method>_responce` and
`error_response` envelopes) and GET /oauth2/to_login | access_token | refresh_token.
"""

from __future__ import annotations

import json
import secrets as token_source
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from desktop.sdk.signing import constant_time_equal
from desktop.sdk.loopback import LoopbackFake

from .fakestore import FakeShop, Refusal
from .protocol import (
    API_V,
    CHATLOG_GET,
    CODE_BAD_APP_KEY,
    CODE_BAD_SIGN,
    CODE_BAD_VERSION,
    CODE_INVALID_TOKEN,
    CODE_NO_METHOD,
    CODE_NO_PERMISSION,
    FAKE_CODE_BAD_TIMESTAMP,
    FAKE_CODE_RATE_LIMIT,
    ORDER_SEARCH,
    REMARK_QUERY,
    REMARK_UPDATE,
    RESULT_NODE,
    SESSIONLIST_GET,
    TIMESTAMP_TOLERANCE,
    parse_time,
    response_key,
    sign,
)

TOKEN_LIFETIME_S = 365 * 86400  # [UNVERIFIED] JD's token lifetime is not published


class JdFake(LoopbackFake):
    """One shop: `with JdFake() as fake:` serves it on 127.0.0.1 until the block ends."""

    platform_shop_id = "752759"

    def __init__(self, clock: Callable[[], datetime] | None = None, seed: int = 20240501) -> None:
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.lock = threading.Lock()
        self.shop = FakeShop(lambda: self.clock(), seed)
        self.app_key = "8F1A3C5E7B9D2F4A6C8E0B1D3F5A7C9E"
        self.app_secret = "d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5"
        self.access_token = "jd-at-" + token_source.token_hex(16)
        self.refresh_token = "jd-rt-" + token_source.token_hex(16)
        self.valid_tokens = {self.access_token}
        self.valid_refresh = {self.refresh_token}
        self.codes: set[str] = set()
        self.calls: list[tuple[str, dict[str, Any]]] = []  # (method, business params) of accepted calls
        self.chat_denied = False
        self._limited = 0
        self._failing = 0
        self._garbled = 0

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _Handler

    # -- FakePlatform ------------------------------------------------------------------------------------
    def settings(self) -> dict[str, object]:
        return {"base_url": self.url + "/routerjson", "oauth_base_url": self.url}

    def secrets(self) -> dict[str, str]:
        return {"app_key": self.app_key, "app_secret": self.app_secret,
                "access_token": self.access_token, "refresh_token": self.refresh_token}

    def add_orders(self, n: int) -> list[str]:
        with self.lock:
            return [self.shop.add_order().order_id for _ in range(n)]

    def touch_order(self, order_id: str) -> None:
        with self.lock:
            self.shop.touch(order_id)

    def add_messages(self, n: int) -> list[str]:
        with self.lock:
            return self.shop.add_messages(n)

    def memo(self, order_id: str) -> tuple[str, int | None]:
        with self.lock:
            order = self.shop.orders[order_id]
            return order.vender_remark, order.flag

    def expire_token(self) -> None:
        with self.lock:
            self.valid_tokens.discard(self.access_token)

    def limit_calls(self, n: int = 1) -> None:
        with self.lock:
            self._limited += n

    def fail(self, n: int = 1) -> None:
        with self.lock:
            self._failing += n

    # -- more switches for the adapter's own tests ----------------------------------------------------
    def garble(self, n: int = 1) -> None:
        """The next n gateway calls answer 200 with a cut-off JSON body."""
        with self.lock:
            self._garbled += n

    def deny_chat(self, denied: bool = True) -> None:
        """The shop's authorization lacks the 咚咚 APIs: they answer the permission error."""
        with self.lock:
            self.chat_denied = denied

    def issue_code(self) -> str:
        """An authorization code, as to_login would redirect with after the seller agrees."""
        with self.lock:
            code = token_source.token_hex(8)
            self.codes.add(code)
            return code

    def methods_called(self) -> list[str]:
        with self.lock:
            return [method for method, _ in self.calls]

    # -- the gateway -------------------------------------------------------------------------------------
    def gateway(self, params: dict[str, str]) -> tuple[int, dict[str, Any] | str]:
        with self.lock:
            if self._failing:
                self._failing -= 1
                return 503, "<html><body>503 Service Temporarily Unavailable</body></html>"
            if self._garbled:
                self._garbled -= 1
                return 200, '{"jingdong_pop_order_search_responce":{"code":"0","searchorder'
            try:
                method, business = self._admit(params)
                if self._limited:
                    self._limited -= 1
                    raise Refusal(FAKE_CODE_RATE_LIMIT, "调用次数超限，请稍后再试", "call limit exceeded")
                result = self._dispatch(method, business)
            except Refusal as exc:
                return 200, {"error_response": {"code": exc.code, "zh_desc": exc.zh, "en_desc": exc.en}}
            self.calls.append((method, business))
            return 200, {response_key(method): {"code": "0", RESULT_NODE[method]: result}}

    def _admit(self, p: dict[str, str]) -> tuple[str, dict[str, Any]]:
        """The platform's checks, in the order a gateway makes them."""
        if p.get("app_key") != self.app_key:
            raise Refusal(CODE_BAD_APP_KEY, "无效App Key", "Invalid app_key")
        if not constant_time_equal(p.get("sign", ""), sign(p, self.app_secret)):
            raise Refusal(CODE_BAD_SIGN, "无效签名", "Invalid signature")
        try:
            sent = parse_time(p.get("timestamp", ""))
        except ValueError:
            raise Refusal(FAKE_CODE_BAD_TIMESTAMP, "非法的时间戳参数", "Invalid timestamp") from None
        if abs(sent - self.clock()) > TIMESTAMP_TOLERANCE:
            raise Refusal(FAKE_CODE_BAD_TIMESTAMP, "时间戳与服务器时间相差超过6分钟", "timestamp out of range")
        if p.get("v") != API_V:
            raise Refusal(CODE_BAD_VERSION, "不支持的版本号", "Unsupported version")
        method = p.get("method", "")
        if method not in RESULT_NODE:
            raise Refusal(CODE_NO_METHOD, "不存在的方法名", "Invalid method")
        if p.get("access_token") not in self.valid_tokens:
            raise Refusal(CODE_INVALID_TOKEN, "无效access_token", "Invalid access_token")
        try:
            business = json.loads(p.get("360buy_param_json") or "{}")
        except ValueError:
            raise Refusal("43", "360buy_param_json 不是合法的JSON", "bad 360buy_param_json") from None
        if not isinstance(business, dict):
            raise Refusal("43", "360buy_param_json 必须是JSON对象", "bad 360buy_param_json")
        return method, business

    def _dispatch(self, method: str, business: dict[str, Any]) -> dict[str, Any]:
        if method in (SESSIONLIST_GET, CHATLOG_GET) and self.chat_denied:
            raise Refusal(CODE_NO_PERMISSION, "该商家无权调用API", "No permission to call this API")
        handlers = {ORDER_SEARCH: self.shop.order_search, REMARK_UPDATE: self.shop.modify_remark,
                    REMARK_QUERY: self.shop.query_remark, SESSIONLIST_GET: self.shop.session_list,
                    CHATLOG_GET: self.shop.chat_log}
        return handlers[method](business)

    # -- OAuth ------------------------------------------------------------------------------------------
    def oauth(self, path: str, p: dict[str, str]) -> tuple[int, dict[str, Any] | str, str | None]:
        """→ (status, body, redirect location)."""
        with self.lock:
            if path == "/oauth2/to_login":
                if p.get("app_key") != self.app_key or p.get("response_type") != "code":
                    return 400, {"code": 1001, "msg": "invalid app_key or response_type"}, None
                code = token_source.token_hex(8)
                self.codes.add(code)
                target = p.get("redirect_uri", "")
                joiner = "&" if "?" in target else "?"
                return 302, "", f"{target}{joiner}{urlencode({'code': code, 'state': p.get('state', '')})}"
            if p.get("app_key") != self.app_key or p.get("app_secret") != self.app_secret:
                return 200, {"code": 1002, "msg": "invalid app_key or app_secret"}, None
            if path == "/oauth2/access_token" and p.get("grant_type") == "authorization_code":
                if p.get("code") not in self.codes:
                    return 200, {"code": 1003, "msg": "invalid or used code"}, None
                self.codes.discard(p["code"])
            elif path == "/oauth2/refresh_token" and p.get("grant_type") == "refresh_token":
                if p.get("refresh_token") not in self.valid_refresh:
                    return 200, {"code": 1004, "msg": "invalid refresh_token"}, None
                self.valid_refresh.discard(p["refresh_token"])
            else:
                return 404, {"code": 1005, "msg": "unknown grant"}, None
            self.access_token = "jd-at-" + token_source.token_hex(16)
            self.refresh_token = "jd-rt-" + token_source.token_hex(16)
            self.valid_tokens.add(self.access_token)
            self.valid_refresh.add(self.refresh_token)
            issued = self.clock()
            return 200, {"access_token": self.access_token, "refresh_token": self.refresh_token,
                         "expires_in": TOKEN_LIFETIME_S, "time": int(issued.timestamp() * 1000),
                         "scope": "snsapi_base", "open_id": "o-" + self.platform_shop_id,
                         "uid": self.platform_shop_id, "token_type": "bearer", "code": 0}, None


class _Handler(BaseHTTPRequestHandler):
    server_version = "JdFake/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet: tests read the fake's state, not its access log

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve()

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        self._serve()

    def _serve(self) -> None:
        fake: JdFake = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length).decode("utf-8", "replace")
            params.update(parse_qsl(body, keep_blank_values=True))
        location = None
        if parts.path == "/routerjson":
            status, payload = fake.gateway(params)
        elif parts.path.startswith("/oauth2/"):
            status, payload, location = fake.oauth(parts.path, params)
        else:
            status, payload = 404, {"code": "404", "msg": "not found"}
        data = (payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)).encode("utf-8")
        self.send_response(status)
        kind = "text/html" if isinstance(payload, str) else "application/json"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(data)
