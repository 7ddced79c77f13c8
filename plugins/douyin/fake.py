"""A local fake of one Doudian shop, served over loopback HTTP from the published spec.

It speaks the gateway protocol of research §4.1–§4.6 and the checklist of §10:
POST `/{a}/{b}` with the system parameters in the query and `param_json` as the
body; the HMAC-SHA256 (or md5) sign recomputed over the raw body; timestamp
skew; access-token checks; the `{code, msg, sub_code, sub_msg, log_id, data}`
envelope with 10000 / 40001 / 40003 / 50001 / 60000 / 20000; order.searchList
with the same paging rules; order.orderDetail; order.addOrderRemark; and the
token.create / token.refresh endpoint. It implements desktop.sdk.testing.FakePlatform.

Its push side (消息推送, research §4.7) builds what Doudian POSTs to the app's push URL: a
JSON array of `{"tag", "msg_id", "data"}` (data a JSON string, laid out as the spec's vector)
with `event-sign`, one message per order and tag (`webhook_for`, `push_delivery`). A delivery
not answered `{"code":0,"msg":"success"}` stays pending and is sent again (`record_reply`,
`unacknowledged`): [fake's choice] the spec says nothing of retries, and the success/fail
replies it documents only make sense if a failed push comes back.

Where the spec is silent the fake makes a choice and says so: a skew limit of
10 minutes, inclusive update-time bounds, code 50002 for "no such order", an
unknown app_key answered as a bad signature, a remark that replaces the old one
(`is_add_star` "false" leaves the star as it is), and single-use refresh tokens.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import fake_data
from .protocol import (
    CODE_OK,
    M_ADD_REMARK,
    M_ORDER_DETAIL,
    M_SEARCH_LIST,
    M_TOKEN_CREATE,
    M_TOKEN_REFRESH,
    PAGE_SIZE_MAX,
    REMARK_MAX_CHARS,
    TOKEN_METHODS,
)
from .push import EVENT_SIGN_HEADER, event_sign
from .signing import SIGN_METHODS, WIRE_VERSION, sign

SKEW_S = 600  # [fake's choice] the spec gives no tolerance for Doudian timestamps
CODE_TTL_S = 600  # "code valid 10 min"
ACCESS_TTL_S = 7 * 86400
REFRESH_TTL_S = 14 * 86400
NO_SUCH_ORDER = (50002, "isv.business-failed:order-not-found")  # [fake's choice] no code in the spec


class Reply(Exception):
    """An error envelope, raised from deep inside a handler."""

    def __init__(self, code: int, msg: str, sub_code: str = "", sub_msg: str = "", http: int = 200) -> None:
        super().__init__(f"{code} {sub_code}")
        self.code, self.msg, self.sub_code, self.sub_msg, self.http = code, msg, sub_code, sub_msg, http


def _bad_param(what: str) -> Reply:
    return Reply(40003, "Invalid Parameter", "isv.parameter-format-invalid", what)


class DouyinFake:
    """One Doudian shop. Seeding and fault switches act on state directly (no HTTP)."""

    def __init__(self, *, clock: Callable[[], float] = time.time, seed: int = 7,
                 shop_id: int = 45831207, shop_name: str = "山野小铺官方旗舰店") -> None:
        self.clock = clock
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.platform_shop_id = str(shop_id)
        self.shop_id, self.shop_name = shop_id, shop_name
        self.app_key = str(7100000000000000000 + self._rng.randint(0, 10**17))
        self.app_secret = f"{self._rng.getrandbits(128):032x}"
        self.service_id = str(self._rng.randint(10000, 99999))
        self.orders: dict[str, dict[str, Any]] = {}
        self._next_order = 6920000000000000000 + self._rng.randint(0, 10**12) * 1000
        self._tokens: dict[str, float] = {}  # access token → expiry
        self._refresh: dict[str, float] = {}  # refresh token → expiry
        self._codes: dict[str, float] = {}  # authorisation code → expiry
        self.access_token, self.refresh_token = self._issue(self.clock())
        self._limit = 0
        self._fail: list[str] = []
        self.calls: list[tuple[str, dict[str, str], str]] = []  # (method, query, body), for tests
        self._next_msg = 7000000000000000000 + self._rng.randint(0, 10**12) * 1000
        self._pending: dict[bytes, dict[str, str]] = {}  # push bodies not yet answered success → headers
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle --------------------------------------------------------------------------------
    def start(self) -> None:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="douyin-fake", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> DouyinFake:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the Doudian fake is not started")
        return f"http://127.0.0.1:{self._httpd.server_port}"

    # -- FakePlatform ------------------------------------------------------------------------------
    def settings(self) -> dict[str, object]:
        return {"base_url": self.url, "service_id": self.service_id}

    def secrets(self) -> dict[str, str]:
        return {"app_key": self.app_key, "app_secret": self.app_secret,
                "access_token": self.access_token, "refresh_token": self.refresh_token}

    def add_orders(self, n: int) -> list[str]:
        now = int(self.clock())
        ids = []
        with self._lock:
            for _ in range(n):
                self._next_order += self._rng.randint(1, 999)
                order_id = str(self._next_order)
                scenario = fake_data.SCENARIOS[len(self.orders) % len(fake_data.SCENARIOS)]
                self.orders[order_id] = fake_data.make_order(self._rng, order_id, self.shop_id, self.shop_name,
                                                             now, scenario)
                ids.append(order_id)
        return ids

    def touch_order(self, order_id: str) -> None:
        with self._lock:
            fake_data.touch(self._rng, self.orders[order_id], int(self.clock()))

    def add_messages(self, n: int) -> list[str]:
        raise NotImplementedError("Doudian's open API has no buyer chat (research §4.8)")

    def memo(self, order_id: str) -> tuple[str, int | None]:
        with self._lock:
            order = self.orders[order_id]
            return order["seller_words"], order["seller_remark_stars"]

    def expire_token(self) -> None:
        with self._lock:
            self._tokens[self.access_token] = self.clock() - 1

    def limit_calls(self, n: int = 1) -> None:
        with self._lock:
            self._limit += n

    def fail(self, n: int = 1, kind: str = "service") -> None:
        """The next n calls fail: "service" = code 20000 dop.service-error, "http" = HTTP 502,
        "garbage" = a 200 reply that is not JSON."""
        with self._lock:
            self._fail += [kind] * n

    # -- more switches for tests ---------------------------------------------------------------------
    def issue_code(self) -> str:
        """An authorisation code, as the merchant's consent page hands it to the ISV."""
        with self._lock:
            code = f"{self._rng.getrandbits(64):016x}"
            self._codes[code] = self.clock() + CODE_TTL_S
            return code

    def set_order_time(self, order_id: str, update_time: int) -> None:
        with self._lock:
            self.orders[order_id]["update_time"] = update_time

    # -- push (消息推送) research §4.7 -------------------------------------------------------------------
    def webhook_for(self, order_id: str, tag: str = "101") -> tuple[dict[str, str], bytes]:
        """The conformance kit's webhook: a signed delivery of one message (default 101 订单支付)
        about the order, as Doudian POSTs it to the app's push URL."""
        return self.push_delivery([(tag, self.push_data(order_id, tag))])

    def push_data(self, order_id: str, tag: str, shop_id: int | None = None) -> dict[str, Any]:
        """A message's `data` for the order, with the fields of that tag's struct in the module the
        spec cites: p_id (parent order) and shop_id always; s_ids / s_id of the sku orders."""
        with self._lock:
            order = self.orders[order_id]
            skus = [int(s["order_id"]) for s in order["sku_order_list"]]
            data: dict[str, Any] = {"p_id": int(order_id), "shop_id": self.shop_id if shop_id is None else shop_id}
            if tag == "113":  # TradeMemoModify
                data.update(remark=order["seller_words"], star=order["seller_remark_stars"],
                            update_time=order["update_time"])
            elif tag == "126":  # TradeAppointmentV2: p_id is a string here
                data.update(p_id=order_id, s_ids=skus, order_type=0, exp_delivery_time=order["update_time"] + 86400)
            elif tag.startswith("2"):  # after-sale: RefundCreated and its kin
                after = order["sku_order_list"][0]["after_sale_info"]
                data.update(s_id=skus[0], aftersale_id=int(order_id) + 7, aftersale_status=after["after_sale_status"],
                            aftersale_type=after["after_sale_type"], apply_time=order["update_time"],
                            refund_amount=order["pay_amount"])
            else:  # TradeCreate, TradePaid, TradeSellerShip, ...
                data.update(s_ids=skus, biz=2, order_type=0, order_status=order["order_status"],
                            update_time=order["update_time"])
            return data

    def push_delivery(self, messages: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, str], bytes]:
        """One POST carrying `messages` ((tag, data) each), signed, kept pending until answered success."""
        items = []
        with self._lock:
            for tag, data in messages:
                self._next_msg += self._rng.randint(1, 999)
                items.append((tag, str(self._next_msg), data))
            body = push_body(items)
            headers = {"Content-Type": "application/json", EVENT_SIGN_HEADER: event_sign(self.app_key, self.app_secret, body)}
            self._pending[body] = headers
        return headers, body

    def record_reply(self, body: bytes, status: int, reply: bytes) -> None:
        """What the app answered a delivery: only HTTP 200 with code 0 settles it."""
        try:
            answer = json.loads(reply.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            answer = None
        if status == 200 and isinstance(answer, dict) and answer.get("code") == 0:
            with self._lock:
                self._pending.pop(body, None)

    def unacknowledged(self) -> list[tuple[dict[str, str], bytes]]:
        """The deliveries Doudian would send again: the same bytes and event-sign."""
        with self._lock:
            return [(dict(headers), body) for body, headers in self._pending.items()]

    # -- the gateway -------------------------------------------------------------------------------
    def _issue(self, now: float) -> tuple[str, str]:
        access = f"{self._rng.getrandbits(128):032x}"
        refresh = f"{self._rng.getrandbits(128):032x}"
        self._tokens[access] = now + ACCESS_TTL_S
        self._refresh[refresh] = now + REFRESH_TTL_S
        return access, refresh

    def handle(self, path: str, query: dict[str, str], body: str) -> tuple[int, dict[str, Any] | bytes]:
        """One request → (HTTP status, envelope or raw bytes)."""
        with self._lock:
            method = query.get("method", "")
            self.calls.append((method, dict(query), body))
            if self._fail:
                kind = self._fail.pop(0)
                if kind == "http":
                    return 502, b"<html><body>502 Bad Gateway</body></html>"
                if kind == "garbage":
                    return 200, b"{\"code\":10000,\"data\":"
                return 200, self._envelope(Reply(20000, "Service Unavailable", "dop.service-error", "服务暂不可用"))
            try:
                data = self._dispatch(path, method, query, body)
            except Reply as reply:
                return reply.http, self._envelope(reply)
            return 200, {"code": CODE_OK, "msg": "success", "sub_code": "", "sub_msg": "",
                         "log_id": self._log_id(), "data": data}

    def _log_id(self) -> str:
        return time.strftime("%Y%m%d%H%M%S", time.localtime(self.clock())) + f"{self._rng.getrandbits(48):012X}"

    def _envelope(self, reply: Reply) -> dict[str, Any]:
        return {"code": reply.code, "msg": reply.msg, "sub_code": reply.sub_code, "sub_msg": reply.sub_msg,
                "log_id": self._log_id(), "data": None}

    def _dispatch(self, path: str, method: str, query: dict[str, str], body: str) -> dict[str, Any]:
        if not method or path.strip("/").replace("/", ".") != method:
            raise _bad_param(f"path {path!r} does not match method {method!r}")
        if not query.get("sign"):
            raise Reply(40001, "Missing Parameter", "isv.signature-missing", "缺少签名")
        if query.get("app_key") != self.app_key:
            raise Reply(40003, "Invalid Parameter", "isv.signature-invalid", "app_key 无效，签名校验失败")
        if query.get("v") != WIRE_VERSION:
            raise _bad_param("v must be 2")
        stamp = query.get("timestamp", "")
        if not stamp.isdigit() or abs(int(stamp) - self.clock()) > SKEW_S:
            raise Reply(40003, "Invalid Parameter", "isv.timestamp-invalid", "timestamp 与服务器时间相差过大")
        sign_method = query.get("sign_method") or "md5"
        if sign_method not in SIGN_METHODS:
            raise _bad_param(f"sign_method {sign_method!r}")
        if sign(self.app_key, self.app_secret, method, body, stamp, sign_method) != query["sign"]:
            raise Reply(40003, "Invalid Parameter", "isv.signature-invalid", "签名校验失败")
        if self._limit > 0:
            self._limit -= 1
            raise Reply(60000, "Traffic Limited", "isv.traffic-limited", "调用频率超限")
        try:
            params = json.loads(body)
        except ValueError:
            raise _bad_param("param_json is not JSON") from None
        if not isinstance(params, dict):
            raise _bad_param("param_json is not an object")
        if method not in TOKEN_METHODS:
            self._check_token(query.get("access_token", ""))
        handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            M_SEARCH_LIST: self._search_list, M_ORDER_DETAIL: self._order_detail, M_ADD_REMARK: self._add_remark,
            M_TOKEN_CREATE: self._token_create, M_TOKEN_REFRESH: self._token_refresh,
        }
        if method not in handlers:
            raise Reply(70000, "API Offline", "isp.api-service-off", f"{method} 不在该 fake 中")
        return handlers[method](params)

    def _check_token(self, token: str) -> None:
        if not token:
            raise Reply(40001, "Missing Parameter", "isv.access-token-missing", "缺少 access_token")
        if token not in self._tokens:
            raise Reply(40003, "Invalid Parameter", "isv.access-token-no-existed", "access_token 不存在")
        if self._tokens[token] <= self.clock():
            raise Reply(40003, "Invalid Parameter", "isv.access-token-expired", "access_token 已过期")

    # -- APIs ----------------------------------------------------------------------------------------
    @staticmethod
    def _int(params: dict[str, Any], key: str, default: int | None = None) -> int:
        value = params.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad_param(f"{key} 必须为整数")
        return value

    def _search_list(self, params: dict[str, Any]) -> dict[str, Any]:
        page, size = self._int(params, "page", 0), self._int(params, "size", 10)
        if page < 0 or not 1 <= size <= PAGE_SIZE_MAX:
            raise _bad_param(f"page 从 0 开始，size 限制 {PAGE_SIZE_MAX} 以内")
        order_by = params.get("order_by", "create_time")
        if order_by not in ("create_time", "update_time"):
            raise _bad_param("order_by")
        ascending = params.get("order_asc", False)
        if not isinstance(ascending, bool):
            raise _bad_param("order_asc")
        rows = list(self.orders.values())
        for field in ("update_time", "create_time"):
            start, end = params.get(f"{field}_start"), params.get(f"{field}_end")
            if start is not None:
                rows = [r for r in rows if r[field] >= self._int(params, f"{field}_start")]
            if end is not None:
                rows = [r for r in rows if r[field] <= self._int(params, f"{field}_end")]
        rows.sort(key=lambda r: (r[order_by], r["order_id"]), reverse=not ascending)
        chunk = rows[page * size:(page + 1) * size]
        return {"page": page, "size": size, "total": len(rows), "shop_order_list": json.loads(json.dumps(chunk))}

    def _order(self, params: dict[str, Any], key: str) -> dict[str, Any]:
        order_id = params.get(key)
        if not isinstance(order_id, str) or not order_id:
            raise _bad_param(f"{key} 必须为字符串")
        if order_id not in self.orders:
            raise Reply(NO_SUCH_ORDER[0], "Business Failed", NO_SUCH_ORDER[1], "订单不存在")
        return self.orders[order_id]

    def _order_detail(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"shop_order_detail": json.loads(json.dumps(self._order(params, "shop_order_id")))}

    def _add_remark(self, params: dict[str, Any]) -> dict[str, Any]:
        order = self._order(params, "order_id")
        remark, add_star, star = params.get("remark"), params.get("is_add_star", "false"), params.get("star")
        if not isinstance(remark, str) or len(remark) > REMARK_MAX_CHARS:
            raise _bad_param(f"remark 最大不得超过{REMARK_MAX_CHARS}个字符")
        if add_star not in ("true", "false"):
            raise _bad_param("is_add_star 只能为 \"true\" 或 \"false\"")
        if add_star == "true":
            if star not in ("0", "1", "2", "3", "4", "5"):
                raise _bad_param("star 范围 \"0\"～\"5\"")
            order["seller_remark_stars"] = int(star)
        order["seller_words"] = remark  # the remark is replaced, not appended
        order["update_time"] = int(self.clock())
        return {}

    def _token_data(self, access: str, refresh: str) -> dict[str, Any]:
        return {"access_token": access, "expires_in": ACCESS_TTL_S, "refresh_token": refresh, "scope": "SCOPE",
                "shop_id": self.platform_shop_id, "shop_name": self.shop_name,
                "authority_id": self.platform_shop_id, "auth_subject_type": "MiniApp"}

    def _token_create(self, params: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        grant = params.get("grant_type")
        if grant == "authorization_code":
            code = params.get("code")
            if not isinstance(code, str) or self._codes.pop(code, 0) <= now:
                raise Reply(50001, "Platform Processing Failed", "dop.token-generate-failed:code-expired",
                            "code 已过期或无效")
        elif grant == "authorization_self":
            if params.get("shop_id") != self.shop_id:
                raise Reply(30001, "No Permission", "dop.authorization-no-existed", "店铺未授权该应用")
        else:
            raise _bad_param("grant_type")
        self.access_token, self.refresh_token = self._issue(now)
        return self._token_data(self.access_token, self.refresh_token)

    def _token_refresh(self, params: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        token = params.get("refresh_token")
        if params.get("grant_type") != "refresh_token" or not isinstance(token, str):
            raise _bad_param("grant_type / refresh_token")
        if token not in self._refresh:
            raise Reply(50001, "Platform Processing Failed", "dop.token-generate-failed:token-invalid",
                        "refresh_token 无效")
        if self._refresh.pop(token) <= now:
            raise Reply(50001, "Platform Processing Failed", "dop.token-generate-failed:token-expired",
                        "refresh_token 已过期")
        self.access_token, self.refresh_token = self._issue(now)
        return self._token_data(self.access_token, self.refresh_token)


def push_body(messages: list[tuple[str, str, dict[str, Any]]]) -> bytes:
    """A push body of (tag, msg_id, data) messages, laid out as the spec's vector: a compact array of
    `{"tag","msg_id","data"}`, `data` the compact JSON string of the message's fields, keys sorted,
    UTF-8 as is."""
    items = [{"tag": tag, "msg_id": msg_id,
              "data": json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))}
             for tag, msg_id, data in messages]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    owner: DouyinFake

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            body = "\ufffd"
        status, reply = self.owner.handle(parts.path, query, body)
        data = reply if isinstance(reply, bytes) else json.dumps(reply, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: tests read the fake's `calls` instead
