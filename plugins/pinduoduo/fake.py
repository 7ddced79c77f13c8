"""A loopback fake of the Pinduoduo gateway, built from the published spec (research §3, §10).

It serves ``POST /api/router`` (form or JSON body) with ``type`` dispatch and checks
what the real gateway checks: the MD5 signature over every field (recomputed here
independently of the adapter's code), the timestamp (±10 minutes), the access token,
and each API's parameter rules (increment window ≤ 30 min, page_size ≤ 100, note
``tag``/``tag_name`` together, ``tag_name`` ≤ 3 characters). Replies use the exact
success keys and the ``error_response`` envelope.

Implemented APIs: pdd.order.number.list.increment.get, pdd.order.information.get,
pdd.order.note.update, pdd.pop.auth.token.create, pdd.pop.auth.token.refresh,
pdd.pmc.user.permit.

Push (§3.7): `fake_pmc.PmcFake` serves the PMC WebSocket next to the gateway
(``settings()["pmc_url"]``). Once the mall's message service is enabled with
pdd.pmc.user.permit, order changes publish a message: `touch_order` the topic of the
change it made (``pdd_trade_TradeSellerShip``, ``pdd_refund_RefundCreated`` ...), a note
update ``pdd_trade_TradeMemoModified``. ``pmc_rights = False`` makes the app one without
the message service (permit answers 20031, no permission package).

Choices the spec leaves open (the fake's, not the platform's): the window is inclusive
at both ends; orders are listed by (updated_at, order_sn); parameter errors answer
``PARAM_ERROR``; an unknown client_id answers 20004 (its secret is unknown, so its
signature cannot verify); a token refresh keeps the grant's expiry (the community
notes say refresh does not extend it) and the refresh token.

It is the `desktop.sdk.testing.FakePlatform` of the conformance kit. Tests only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import httpx

from desktop.sdk import AdapterContext

from . import fake_data
from .fake_pmc import PmcFake
from .protocol import (
    API_DETAIL,
    API_INCREMENT,
    API_NOTE,
    API_PMC_PERMIT,
    API_TOKEN_CREATE,
    API_TOKEN_REFRESH,
    NO_PERMISSION_PACKAGE,
    RESPONSE_KEYS,
    SIGN_FAILED,
    TOKEN_EXPIRED,
    WINDOW_MAX_S,
    parse_time,
)

PARAM_ERROR = 10000  # fake-only: the spec lists no code for a bad parameter
SYSTEM_ERROR = 50000  # "internal" per §3.2
CALL_LIMIT = 70031  # "too frequent" per §3.2
SKEW_MAX_S = 600
CODE_TTL_S = 600  # an authorisation code lives 10 minutes (§3.4)
GRANT_S = 365 * 24 * 3600
REFRESH_S = 2 * GRANT_S
_AUTHORISED = frozenset({API_INCREMENT, API_DETAIL, API_NOTE, API_PMC_PERMIT})
Reply = tuple[int, str, bytes]


class ManualClock:
    """A clock tests move by hand: give it to the fake and (as `.now`) to the adapter."""

    def __init__(self, start: float = 1_714_528_800.0) -> None:  # 2024-05-01 10:00 Beijing
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.t, UTC)


class MemorySecrets:
    """A shop's keyring, as a dict (with `set` for refreshed tokens)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value


class ApiError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _json(payload: object) -> bytes:
    def default(value: object) -> object:
        if isinstance(value, Decimal):
            return float(value)  # a JSON number, as the platform sends amounts
        raise TypeError(type(value).__name__)
    return json.dumps(payload, ensure_ascii=False, default=default).encode("utf-8")


def _int(params: dict[str, str], name: str, default: int | None = None) -> int:
    value = params.get(name)
    if value is None or value == "":
        if default is None:
            raise ApiError(PARAM_ERROR, f"参数错误：{name} 不能为空")
        return default
    try:
        return int(value)
    except ValueError:
        raise ApiError(PARAM_ERROR, f"参数错误：{name} 不是整数") from None


class PinduoduoFake:
    """One mall on a fake Pinduoduo gateway. Seeding and faults act on its state directly."""

    def __init__(self, *, seed: int = 11, clock: Callable[[], float] | None = None,
                 mall_id: str = "782341650") -> None:
        self.clock = clock or time.time
        self.platform_shop_id = mall_id
        self.client_id = "pdd-fake-client-7f3a2c"
        self.client_secret = "pdd-fake-secret-91b0e5d4"
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.orders: dict[str, dict[str, Any]] = {}
        self.calls: list[dict[str, str]] = []  # accepted calls' parameters (token masked, no sign)
        self.slim_increment = False  # increment records without details (forces the detail API)
        self._tokens = 0
        self.access_token = self._new_token("at")
        self.refresh_token = self._new_token("rt")
        self.token_valid = True
        self.grant_expires_at = int(self.clock()) + GRANT_S
        self.codes: dict[str, int] = {}  # authorisation code → issued at
        self._limit = 0
        self._fail: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.pmc = PmcFake(self.client_id, self.client_secret, self.clock)
        self.pmc_rights = True  # the app may use the message service
        self.pmc_permitted = False  # pdd.pmc.user.permit was called for this mall

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> PinduoduoFake:
        fake = self

        class Handler(_Handler):
            app = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="pdd-fake",
                                        daemon=True)
        self._thread.start()
        self.pmc.start()
        return self

    def stop(self) -> None:
        self.pmc.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> PinduoduoFake:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/router"

    def now(self) -> int:
        return int(self.clock() // 1)

    def _new_token(self, kind: str) -> str:
        self._tokens += 1
        return f"{kind}-{self._tokens:03d}-{self.rng.getrandbits(64):016x}"

    # -- FakePlatform -----------------------------------------------------------------------
    def context(self, http: httpx.AsyncClient, *, secrets: MemorySecrets | None = None,
                **settings: object) -> AdapterContext:
        """An adapter context for this mall, on the fake's clock (settings override the fake's)."""
        clock = self.clock

        def now() -> datetime:
            return datetime.fromtimestamp(clock(), UTC)
        return AdapterContext(http=http, logger=logging.getLogger("seatdesk.plugin.pinduoduo.fake"),
                              settings={**self.settings(), **settings},
                              secrets=secrets if secrets is not None else MemorySecrets(self.secrets()),
                              platform_shop_id=self.platform_shop_id, clock=now)

    def settings(self) -> dict[str, object]:
        # a small page so the kit's feeds span several pages, read backwards
        return {"base_url": self.url, "page_size": 10, "pmc_url": self.pmc.url}

    def secrets(self) -> dict[str, str]:
        return {"client_id": self.client_id, "client_secret": self.client_secret,
                "access_token": self.access_token, "refresh_token": self.refresh_token}

    def add_orders(self, n: int) -> list[str]:
        with self.lock:
            now, made = self.now(), []
            for _ in range(n):
                sn = fake_data.order_sn(now, self.rng)
                self.orders[sn] = fake_data.new_order(sn, now, self.rng)
                made.append(sn)
            return made

    def touch_order(self, order_id: str) -> None:
        """The order's next change, and the message service's message about it (§3.7)."""
        with self.lock:
            topic = fake_data.advance(self.orders[order_id], self.now(), self.rng)
            self.publish_order(order_id, topic)

    def publish_order(self, order_id: str, topic: str, **content: Any) -> int | None:
        """A PMC message about an order of this mall, if its message service is enabled."""
        if not self.pmc_permitted:
            return None
        return self.pmc.publish(self.platform_shop_id, topic, {"tid": order_id, **content})

    def edit_order(self, order_id: str, **fields: Any) -> None:
        """A change made elsewhere (the seller's back office, the buyer): updated now."""
        with self.lock:
            self.orders[order_id].update(fields, updated_at=fake_data.stamp(self.now()))

    def add_messages(self, n: int) -> list[str]:
        raise NotImplementedError("Pinduoduo's open API has no merchant chat (research §3.8)")

    def memo(self, order_id: str) -> tuple[str, int | None]:
        order = self.orders[order_id]
        return order["remark"], order["remark_tag"]

    def expire_token(self) -> None:
        with self.lock:
            self.token_valid = False

    def limit_calls(self, n: int = 1) -> None:
        with self.lock:
            self._limit += n

    def fail(self, n: int = 1, how: str = "system") -> None:
        """The next n calls fail: "system" = error_response 50000, "http" = HTTP 502 page."""
        with self.lock:
            self._fail += [how] * n

    def issue_code(self) -> str:
        """The code the authorisation page would hand the merchant."""
        with self.lock:
            code = f"code-{self.rng.getrandbits(48):012x}"
            self.codes[code] = self.now()
            return code

    # -- the gateway ------------------------------------------------------------------------
    def handle(self, path: str, content_type: str, body: bytes) -> Reply:
        if path.split("?")[0] != "/api/router":
            return 404, "text/html", b"<html><body>404 Not Found</body></html>"
        with self.lock:
            if self._fail:
                if self._fail.pop(0) == "http":
                    return 502, "text/html", b"<html><body>502 Bad Gateway</body></html>"
                return self._error(SYSTEM_ERROR, "系统内部错误，请稍后重试")
            try:
                params = _params(content_type, body)
                api = self._verify(params)
                if self._limit:
                    self._limit -= 1
                    raise ApiError(CALL_LIMIT, "调用过于频繁，请稍后重试")
                reply = self._dispatch(api, params)
            except ApiError as exc:
                return self._error(exc.code, exc.message)
            self.calls.append({k: "***" if k == "access_token" else v for k, v in params.items() if k != "sign"})
            return 200, "application/json;charset=UTF-8", _json({RESPONSE_KEYS[api]: reply})

    def _error(self, code: int, message: str) -> Reply:
        request_id = f"{self.now()}{self.rng.getrandbits(32):08x}"
        return 200, "application/json;charset=UTF-8", _json({"error_response": {
            "error_code": code, "error_msg": message, "sub_code": "", "sub_msg": "",
            "request_id": request_id}})

    def _verify(self, params: dict[str, str]) -> str:
        for name in ("type", "client_id", "timestamp", "sign"):
            if not params.get(name):
                raise ApiError(PARAM_ERROR, f"参数错误：公共参数 {name} 缺失")
        if params["client_id"] != self.client_id:
            raise ApiError(SIGN_FAILED, "签名验证失败：client_id 不存在")
        text = self.client_secret + "".join(k + params[k] for k in sorted(params) if k != "sign") + self.client_secret
        expected = hashlib.md5(text.encode("utf-8")).hexdigest().upper()
        if not hmac.compare_digest(expected.encode(), params["sign"].encode()):
            raise ApiError(SIGN_FAILED, "签名验证失败")
        if abs(_int(params, "timestamp") - self.now()) > SKEW_MAX_S:
            raise ApiError(PARAM_ERROR, "timestamp 与服务器时间相差超过 10 分钟")
        if params.get("data_type", "JSON").upper() != "JSON":
            raise ApiError(PARAM_ERROR, "fake serves data_type=JSON only")
        api = params["type"]
        if api not in RESPONSE_KEYS:
            raise ApiError(PARAM_ERROR, f"接口 {api} 不存在")
        if api in _AUTHORISED and not (
                params.get("access_token") == self.access_token and self.token_valid
                and self.now() < self.grant_expires_at):
            raise ApiError(TOKEN_EXPIRED, "access_token已过期")
        return api

    def _dispatch(self, api: str, params: dict[str, str]) -> dict[str, Any]:
        if api == API_INCREMENT:
            return self._increment(params)
        if api == API_DETAIL:
            return {"order_info": self._order(params)}
        if api == API_NOTE:
            return self._note(params)
        if api == API_TOKEN_CREATE:
            return self._token_create(params)
        if api == API_PMC_PERMIT:
            return self._pmc_permit()
        return self._token_refresh(params)

    def _increment(self, params: dict[str, str]) -> dict[str, Any]:
        start, end = _int(params, "start_updated_at"), _int(params, "end_updated_at")
        if end < start:
            raise ApiError(PARAM_ERROR, "参数错误：end_updated_at 早于 start_updated_at")
        if end - start > WINDOW_MAX_S:
            raise ApiError(PARAM_ERROR, "参数错误：开始时间结束时间间距不超过 30 分钟")
        page, size = _int(params, "page", 1), _int(params, "page_size", 100)
        if page < 1 or not 1 <= size <= 100:
            raise ApiError(PARAM_ERROR, "参数错误：page 从 1 开始，page_size 为 1..100")
        status, refund = _int(params, "order_status"), _int(params, "refund_status")
        lucky, trade = _int(params, "is_lucky_flag", 0), params.get("trade_type")
        if status not in (1, 2, 3, 5) or refund not in (1, 2, 3, 4, 5) or lucky not in (0, 1, 2):
            raise ApiError(PARAM_ERROR, "参数错误：order_status / refund_status / is_lucky_flag")
        hits = []
        for order in self.orders.values():
            updated = int(parse_time(order["updated_at"]).timestamp())
            if not start <= updated <= end:
                continue
            if (status != 5 and order["order_status"] != status) or (refund != 5 and order["refund_status"] != refund):
                continue
            if (lucky and order["is_lucky_flag"] != lucky) or (trade and str(order["trade_type"]) != trade):
                continue
            hits.append((updated, order["order_sn"], order))
        hits.sort(key=lambda hit: (hit[0], hit[1]))
        chosen = [dict(o) for _, _, o in hits[(page - 1) * size: page * size]]
        if self.slim_increment:
            keep = ("order_sn", "order_status", "refund_status", "updated_at")
            chosen = [{k: o[k] for k in keep} for o in chosen]
        if params.get("use_has_next") == "true":
            return {"has_next": page * size < len(hits), "order_sn_list": chosen}
        return {"total_count": len(hits), "order_sn_list": chosen}

    def _order(self, params: dict[str, str]) -> dict[str, Any]:
        sn = params.get("order_sn", "")
        if sn not in self.orders:
            raise ApiError(PARAM_ERROR, f"订单不存在：{sn}")
        return dict(self.orders[sn])

    def _note(self, params: dict[str, str]) -> dict[str, Any]:
        if "order_sn" not in params or "note" not in params:
            raise ApiError(PARAM_ERROR, "参数错误：order_sn 和 note 必填")
        tag, name = params.get("tag"), params.get("tag_name")
        if (tag is None) != (name is None):
            raise ApiError(PARAM_ERROR, "参数错误：tag与tag_name关联，都入参或都不入参")
        if tag is not None and (tag not in ("1", "2", "3", "4", "5") or not name or len(name) > 3):
            raise ApiError(PARAM_ERROR, "参数错误：tag 为 1..5，tag_name 最长 3 个字符")
        order = self.orders.get(params["order_sn"])
        if order is None:
            return {"success": False, "error_code": PARAM_ERROR, "error_msg": "订单不存在"}
        order.update(remark=params["note"], remark_tag=None if tag is None else int(tag),
                     remark_tag_name=name or "", updated_at=fake_data.stamp(self.now()))
        self.publish_order(params["order_sn"], "pdd_trade_TradeMemoModified", seller_memo=params["note"])
        return {"success": True}

    def _pmc_permit(self) -> dict[str, Any]:
        if not self.pmc_rights:
            raise ApiError(NO_PERMISSION_PACKAGE, "没有调用此接口的权限（应用未开通消息服务）")
        self.pmc_permitted = True
        return {"is_success": True}

    def _grant(self) -> dict[str, Any]:
        now = self.now()
        return {"access_token": self.access_token, "expires_at": self.grant_expires_at,
                "expires_in": self.grant_expires_at - now, "refresh_token": self.refresh_token,
                "refresh_token_expires_at": now + REFRESH_S, "refresh_token_expires_in": REFRESH_S,
                "owner_id": self.platform_shop_id, "owner_name": "果园直发旗舰店",
                "scope": sorted(_AUTHORISED)}

    def _token_create(self, params: dict[str, str]) -> dict[str, Any]:
        issued = self.codes.pop(params.get("code", ""), None)
        if issued is None or self.now() - issued > CODE_TTL_S:
            raise ApiError(PARAM_ERROR, "code 无效或已过期")
        # re-authorising invalidates the old token and refresh token (§3.4)
        self.access_token, self.refresh_token = self._new_token("at"), self._new_token("rt")
        self.token_valid, self.grant_expires_at = True, self.now() + GRANT_S
        return self._grant()

    def _token_refresh(self, params: dict[str, str]) -> dict[str, Any]:
        if params.get("refresh_token") != self.refresh_token:
            raise ApiError(PARAM_ERROR, "refresh_token 无效")
        self.access_token, self.token_valid = self._new_token("at"), True
        return self._grant()


def _params(content_type: str, body: bytes) -> dict[str, str]:
    """A form or JSON body as the flat string parameters that were signed."""
    try:
        text = body.decode("utf-8")
        if content_type.split(";")[0].strip().lower() == "application/json":
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return {k: _wire(v) for k, v in data.items() if v is not None}
        return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)))
    except ValueError as exc:
        raise ApiError(PARAM_ERROR, f"请求体无法解析：{exc}") from None


def _wire(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


class _Handler(BaseHTTPRequestHandler):
    app: PinduoduoFake
    server_version = "pdd-fake/1"

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, content_type, payload = self.app.handle(self.path, self.headers.get("Content-Type", ""), body)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: the tests assert on replies, not on access logs
