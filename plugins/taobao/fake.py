"""A loopback fake of the TOP gateway for one shop, built from the spec (section 2, checklist 10).

`POST|GET /router/rest` verifies what TOP verifies (app key, `sign` recomputed per
`sign_method`, ±10 min timestamp in GMT+8, session) and answers in TOP's envelopes:
`{"<api>_response": {...}}` or `{"error_response": {code, msg, sub_code, sub_msg}}`,
arrays wrapped as TOP wraps them (`"trades": {"trade": [...]}`). It serves
taobao.trades.sold.increment.get (one-day window, newest first, page_size 1..100,
use_has_next), taobao.trade.fullinfo.get, taobao.trade.memo.update/.add and
taobao.top.auth.token.create/.refresh; `GET /authorize` redirects back with a code.

TMC over HTTP pull (spec 2.7): taobao.tmc.user.permit (session; optional `topics`
overwrites the shop's list) switches the shop's messages on; from then on every trade
change publishes a `TmcMessage` (id, topic, pub_time, pub_app_key, user_id, user_nick,
content). taobao.tmc.messages.consume (`quantity` 10..200, optional `group_name`) hands
out the visible ones, wrapped as TOP wraps arrays (`"messages": {"tmc_message": [...]}`),
and hides them for `tmc.visibility_s`; one not confirmed by taobao.tmc.messages.confirm
(`s_message_ids`, ≤ 200, comma-joined) by then is delivered again. Consume and confirm
need no session ([UNVERIFIED] in the spec). The queue is the app's: `publish` puts
messages of any user in it, as other shops on the same app key would.

Seeding and fault switches act on the state directly (the `FakePlatform` protocol of
desktop.sdk.testing). Error codes the spec does not pin ([UNVERIFIED] there) are
TOP's as recalled: 11 no API permission (TMC, with `tmc.rights = False`), 21/22
method, 23 format, 24/25 signature, 26/27 session, 28/29 app key, 30/31 timestamp,
40/41 arguments.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import random
import sys
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .fake_data import CHANGED_TOPIC, Trade, new_trade, step, tmc_content
from .fake_errors import TopError, bad_param, int_param, required
from .fake_tmc import TMC_VISIBILITY_S, FakeTmc
from .protocol import (
    CHINA_TZ,
    FLAG_VALUES,
    FULLINFO_GET,
    HISTORY_MAX,
    INCREMENT_GET,
    MEMO_ADD,
    MEMO_MAX_BYTES,
    MEMO_UPDATE,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    TIMESTAMP_TOLERANCE,
    TMC_CONFIRM,
    TMC_CONSUME,
    TMC_USER_PERMIT,
    TOKEN_CREATE,
    TOKEN_REFRESH,
    WINDOW_MAX,
    format_time,
    parse_time,
    response_key,
)

Reply = tuple[int, bytes, str]
_JSON = "application/json;charset=UTF-8"
_SYSTEM = frozenset({"method", "app_key", "session", "timestamp", "format", "v", "sign_method", "sign",
                     "partner_id", "simplify", "target_app_key"})
_SESSION_APIS = frozenset({INCREMENT_GET, FULLINFO_GET, MEMO_UPDATE, MEMO_ADD, TMC_USER_PERMIT})
_TMC_APIS = frozenset({TMC_USER_PERMIT, TMC_CONSUME, TMC_CONFIRM})
_TOKEN_LIFETIME = 86400  # seconds, what the fake's tokens claim in expires_in
_REFRESH_LIFETIME = 30 * 86400


FAKE_EPOCH = datetime(2024, 5, 1, 10, 0, 0, tzinfo=CHINA_TZ)


class FakeClock:
    """A "now" both the fake and an adapter's `AdapterContext.clock` can share, frozen
    until a test moves it."""

    def __init__(self, now: datetime = FAKE_EPOCH) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeSecrets(dict[str, str]):
    """The engine's keyring-backed `Secrets`, as a dict (for tests and demos)."""

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return super().get(name, default)

    def set(self, name: str, value: str) -> None:
        self[name] = value


def expected_sign(params: dict[str, str], secret: str) -> str:
    """The sign TOP expects, computed here independently of the adapter's code."""
    base = "".join(f"{k}{v}" for k, v in sorted(params.items()) if k and v and k != "sign")
    method = params.get("sign_method", "")
    if method == "md5":
        return hashlib.md5((secret + base + secret).encode("utf-8")).hexdigest().upper()
    if method == "hmac":
        return hmac.new(secret.encode("utf-8"), base.encode("utf-8"), hashlib.md5).hexdigest().upper()
    if method == "hmac-sha256":
        return hmac.new(secret.encode("utf-8"), base.encode("utf-8"), hashlib.sha256).hexdigest().upper()
    raise TopError(25, "Invalid signature", "isv.invalid-sign-method", f"unknown sign_method {method!r}")


def _wrap_orders(trade: Trade) -> Trade:
    out = dict(trade)
    if "orders" in out:
        out["orders"] = {"order": out["orders"]}
    return {k: v for k, v in out.items() if v is not None}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def _params(self) -> dict[str, str]:
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True, encoding="utf-8"))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length).decode("utf-8")
            for key, value in parse_qsl(body, keep_blank_values=True, encoding="utf-8"):
                params.setdefault(key, value)
        return params

    def _route(self) -> None:
        path = urlsplit(self.path).path
        fake = self.server.fake
        if path == "/router/rest":
            status, body, kind = fake.handle(self._params())
        elif path == "/authorize" and self.command == "GET":
            location = fake.authorize(self._params())
            if location is None:
                status, body, kind = 400, "授权参数错误".encode(), "text/plain;charset=UTF-8"
            else:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        else:
            status, body, kind = 404, b"not found", "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _route
    do_POST = _route


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: TaobaoFake) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-reply (a push stream stopped while consuming) is normal."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class TaobaoFake:
    """One Taobao shop behind a fake TOP gateway on 127.0.0.1. Use as a context manager."""

    def __init__(self, *, seed: int = 1, clock: Callable[[], datetime] | None = None, port: int = 0,
                 tmc_visibility_s: float = TMC_VISIBILITY_S) -> None:
        self._rng = random.Random(f"taobao-fake:{seed}")
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(CHINA_TZ))
        self.app_key = str(self._rng.randrange(21_000_000, 34_999_999))
        self.app_secret = "%032x" % self._rng.getrandbits(128)
        self.platform_shop_id = str(self._rng.randrange(2_200_000_000_000, 2_209_999_999_999))
        self.seller_nick = "林家小铺旗舰店"
        self._lock = threading.RLock()
        self.trades: dict[str, Trade] = {}
        self._next_tid = 3_120_000_000_000_000_000 + self._rng.randrange(10**15)
        self._count = 0
        self._access: set[str] = set()
        self._refresh: set[str] = set()
        self._codes: set[str] = set()
        self.access_token, self.refresh_token = self._mint()
        self._faults: deque[str] = deque()
        self._limited = 0
        self.ban_seconds = 3
        # (api, business parameters) of every call that passed the gateway checks, for tests
        self.calls: list[tuple[str, dict[str, str]]] = []
        self._hidden: set[str] = set()
        self.tmc = FakeTmc(self._rng, lambda: self.clock(), self._lock, visibility_s=tmc_visibility_s)
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", self._port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="taobao-fake", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> TaobaoFake:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Taobao fake is not started")
        return f"http://127.0.0.1:{self._server.server_port}"

    # -- FakePlatform --------------------------------------------------------------------------

    def settings(self) -> dict[str, object]:
        return {"base_url": f"{self.url}/router/rest", "oauth_url": self.url}

    def secrets(self) -> dict[str, str]:
        with self._lock:
            return {"app_key": self.app_key, "app_secret": self.app_secret,
                    "access_token": self.access_token, "refresh_token": self.refresh_token}

    def add_orders(self, n: int, *, at: datetime | None = None) -> list[str]:
        """n new trades, last modified at `at` (default: the fake's now)."""
        moment = at or self.clock()
        ids = []
        with self._lock:
            for _ in range(n):
                self._next_tid += self._rng.randrange(1, 5000)
                trade = new_trade(self._rng, self._next_tid, self._count, moment)
                self._count += 1
                self.trades[trade["tid_str"]] = trade
                ids.append(trade["tid_str"])
                self._announce(trade, "taobao_trade_TradeCreate")
        return ids

    def touch_order(self, order_id: str) -> None:
        """The trade moves one step on, and TMC announces it (once the shop permitted)."""
        with self._lock:
            trade = self.trades[order_id]
            self._announce(trade, step(trade, self.clock(), self._rng))

    def add_messages(self, n: int) -> list[str]:
        raise NotImplementedError("Taobao's open API offers no buyer chat")

    def memo(self, order_id: str) -> tuple[str, int | None]:
        with self._lock:
            trade = self.trades[order_id]
            return trade["seller_memo"], trade["seller_flag"]

    def expire_token(self) -> None:
        with self._lock:
            self._access.discard(self.access_token)

    def limit_calls(self, n: int = 1) -> None:
        with self._lock:
            self._limited += n

    def fail(self, n: int = 1, kind: str = "isp") -> None:
        """The next n calls fail: "isp" (error_response isp.*), "http" (HTTP 502), "garbage" (not JSON)."""
        if kind not in ("isp", "http", "garbage"):
            raise ValueError(f"unknown failure kind {kind!r}")
        with self._lock:
            self._faults.extend([kind] * n)

    # -- OAuth helpers -------------------------------------------------------------------------

    def _mint(self) -> tuple[str, str]:
        access = "6201%028x" % self._rng.getrandbits(112)
        refresh = "6202%028x" % self._rng.getrandbits(112)
        self._access.add(access)
        self._refresh.add(refresh)
        return access, refresh

    def issue_code(self) -> str:
        """An authorization code, as the authorize page hands one to the redirect URI."""
        with self._lock:
            code = "%020x" % self._rng.getrandbits(80)
            self._codes.add(code)
            return code

    def authorize(self, params: dict[str, str]) -> str | None:
        """GET /authorize: the seller agrees at once; → the redirect Location, or None if malformed."""
        redirect = params.get("redirect_uri", "")
        if params.get("response_type") != "code" or params.get("client_id") != self.app_key or not redirect:
            return None
        query = urlencode({"code": self.issue_code(), "state": params.get("state", "")})
        return f"{redirect}{'&' if '?' in redirect else '?'}{query}"

    def _token_result(self) -> dict[str, Any]:
        self.access_token, self.refresh_token = self._mint()
        return {"token_result": json.dumps({
            "access_token": self.access_token, "refresh_token": self.refresh_token,
            "expires_in": _TOKEN_LIFETIME, "re_expires_in": _REFRESH_LIFETIME,
            "r1_expires_in": _TOKEN_LIFETIME, "r2_expires_in": _TOKEN_LIFETIME,
            "w1_expires_in": _TOKEN_LIFETIME, "w2_expires_in": _TOKEN_LIFETIME,
            "taobao_user_id": self.platform_shop_id, "taobao_user_nick": self.seller_nick,
            "sub_taobao_user_id": "", "sub_taobao_user_nick": "",
        }, ensure_ascii=False)}

    # -- the gateway ---------------------------------------------------------------------------

    def handle(self, params: dict[str, str]) -> Reply:
        with self._lock:
            fault = self._faults.popleft() if self._faults else ""
        if fault == "http":
            return 502, b"<html><body>502 Bad Gateway</body></html>", "text/html"
        if fault == "garbage":
            return 200, b'{"trades_sold_increment_get_response": {"total_res', _JSON
        try:
            if fault == "isp":
                raise TopError(15, "Remote service error", "isp.remote-service-timeout", "服务端超时，请稍后重试")
            api = params.get("method", "")
            with self._lock:
                self._check(api, params)
                self.calls.append((api, {k: v for k, v in params.items() if k not in _SYSTEM}))
                result = self._dispatch(api, params)
            body: dict[str, Any] = {response_key(api): {**result, "request_id": self._request_id()}}
        except TopError as exc:
            body = {"error_response": {**exc.body, "request_id": self._request_id()}}
        return 200, json.dumps(body, ensure_ascii=False).encode("utf-8"), _JSON

    def _request_id(self) -> str:
        return "%013x" % self._rng.getrandbits(52)

    def _check(self, api: str, params: dict[str, str]) -> None:
        """TOP's gateway checks, in its order: method, app key, signature, timestamp, quota, session."""
        if not api:
            raise TopError(21, "Missing method")
        if not params.get("app_key"):
            raise TopError(28, "Missing app key")
        if params["app_key"] != self.app_key:
            raise TopError(29, "Invalid app Key")
        if not params.get("sign"):
            raise TopError(24, "Missing signature")
        if not hmac.compare_digest(params["sign"], expected_sign(params, self.app_secret)):
            raise TopError(25, "Invalid signature")
        if params.get("format", "xml") != "json":
            raise TopError(23, "Invalid format", sub_msg="this fake speaks format=json only")
        stamp = params.get("timestamp", "")
        if not stamp:
            raise TopError(30, "Missing timestamp")
        try:
            skew = abs(parse_time(stamp) - self.clock())
        except ValueError:
            raise TopError(31, "Invalid timestamp", sub_msg=f"not yyyy-MM-dd HH:mm:ss: {stamp}") from None
        if skew > TIMESTAMP_TOLERANCE:
            raise TopError(31, "Invalid timestamp")
        if self._limited > 0:
            self._limited -= 1
            raise TopError(7, "App Call Limited", "accesscontrol.limited-by-app-access-count",
                           f"This ban will last for {self.ban_seconds} more seconds")
        if api not in self._apis():
            raise TopError(22, "Invalid method")
        if api in _TMC_APIS and not self.tmc.rights:
            raise TopError(11, "Insufficient isv permissions", "isv.permission-api-package-limit",
                           "scope ids is 11655")
        if api in _SESSION_APIS:
            session = params.get("session", "")
            if not session:
                raise TopError(26, "Missing session")
            if session not in self._access:
                raise TopError(27, "Invalid session", "session-expired", "session已过期，请重新授权")

    def _apis(self) -> dict[str, Callable[[dict[str, str]], dict[str, Any]]]:
        return {
            INCREMENT_GET: self._increment,
            FULLINFO_GET: self._fullinfo,
            MEMO_UPDATE: self._memo_update,
            MEMO_ADD: self._memo_add,
            TOKEN_CREATE: self._token_create,
            TOKEN_REFRESH: self._token_refresh,
            TMC_USER_PERMIT: self._tmc_permit,
            TMC_CONSUME: self.tmc.consume,
            TMC_CONFIRM: self.tmc.confirm,
        }

    def _dispatch(self, api: str, params: dict[str, str]) -> dict[str, Any]:
        return self._apis()[api](params)

    # -- APIs ----------------------------------------------------------------------------------

    @staticmethod
    def _time_param(params: dict[str, str], name: str) -> datetime:
        text = required(params, name)
        try:
            return parse_time(text)
        except ValueError:
            raise bad_param(name, f"格式应为 yyyy-MM-dd HH:mm:ss: {text}") from None

    def _increment(self, params: dict[str, str]) -> dict[str, Any]:
        fields = [f.strip() for f in required(params, "fields").split(",") if f.strip()]
        start = self._time_param(params, "start_modified")
        end = self._time_param(params, "end_modified")
        if end <= start:
            raise bad_param("end_modified", "end_modified必须大于start_modified")
        if end - start > WINDOW_MAX:
            raise bad_param("end_modified", "修改时间跨度不能大于一天")
        page_no = int_param(params, "page_no", 1, 1, 10**6)
        page_size = int_param(params, "page_size", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX)
        use_has_next = params.get("use_has_next", "false") == "true"
        oldest = self.clock() - HISTORY_MAX - timedelta(days=3)  # "three months"
        hits = [t for t in self.trades.values() if start <= parse_time(t["modified"]) <= end
                and parse_time(t["modified"]) >= oldest]
        hits.sort(key=lambda t: (t["modified"], t["tid"]), reverse=True)  # newest first
        page = hits[(page_no - 1) * page_size: page_no * page_size]
        result: dict[str, Any] = {}
        if page:
            result["trades"] = {"trade": [_wrap_orders({k: t.get(k) for k in fields if k in t}) for t in page]}
        if use_has_next:
            result["has_next"] = page_no * page_size < len(hits)
        else:
            result["total_results"] = len(hits)
        return result

    def _trade(self, params: dict[str, str]) -> Trade:
        tid = required(params, "tid")
        trade = self.trades.get(tid)
        if trade is None or tid in self._hidden:
            raise TopError(15, "Remote service error", "isv.trade-not-exist", f"交易{tid}不存在")
        return trade

    def _fullinfo(self, params: dict[str, str]) -> dict[str, Any]:
        fields = [f.strip() for f in required(params, "fields").split(",") if f.strip()]
        trade = self._trade(params)
        return {"trade": _wrap_orders(copy.deepcopy({k: trade.get(k) for k in fields if k in trade}))}

    def _memo_args(self, params: dict[str, str]) -> tuple[str, int]:
        memo = params.get("memo", "")
        if len(memo.encode("utf-8")) > MEMO_MAX_BYTES:
            raise bad_param("memo", f"备注不能超过{MEMO_MAX_BYTES}字节")
        flag = int_param(params, "flag", 0, 0, max(FLAG_VALUES))
        return memo, flag

    def _memo_update(self, params: dict[str, str]) -> dict[str, Any]:
        trade = self._trade(params)
        memo, flag = self._memo_args(params)
        if params.get("reset") == "true":
            trade["seller_memo"] = ""
        elif memo:
            trade["seller_memo"] = memo
        trade["seller_flag"] = flag
        trade["modified"] = format_time(self.clock())
        self._announce(trade, "taobao_trade_TradeMemoModified")
        return {"trade": {"tid": trade["tid"], "modified": trade["modified"]}}

    def _memo_add(self, params: dict[str, str]) -> dict[str, Any]:
        trade = self._trade(params)
        memo, flag = self._memo_args(params)
        if trade["seller_memo"]:
            raise TopError(15, "Remote service error", "isv.memo-exist", "该交易已有备注，请使用taobao.trade.memo.update")
        required(params, "memo")
        trade["seller_memo"] = memo
        trade["seller_flag"] = flag
        trade["modified"] = format_time(self.clock())
        self._announce(trade, "taobao_trade_TradeMemoModified")
        return {"trade": {"tid": trade["tid"], "created": trade["modified"]}}

    def _token_create(self, params: dict[str, str]) -> dict[str, Any]:
        code = required(params, "code")
        if code not in self._codes:
            raise TopError(15, "Remote service error", "isv.invalid-parameter:code", "code无效或已过期")
        self._codes.discard(code)  # a code is good once
        return self._token_result()

    def _token_refresh(self, params: dict[str, str]) -> dict[str, Any]:
        token = required(params, "refresh_token")
        if token not in self._refresh:
            raise TopError(15, "Remote service error", "isv.invalid-parameter:refresh_token", "refresh_token无效")
        self._refresh.discard(token)
        # [UNVERIFIED] whether TOP ends the old session at once; the fake does, so a
        # test sees that the adapter really switched to the new token.
        self._access.discard(self.access_token)
        return self._token_result()

    # -- TMC (spec 2.7; the queue itself is fake_tmc.FakeTmc) --------------------------------

    def _tmc_permit(self, params: dict[str, str]) -> dict[str, Any]:
        return self.tmc.permit(self.platform_shop_id, params)

    def _announce(self, trade: Trade, topic: str) -> None:
        """Publish the trade's message, as TOP does once the seller permitted the topic."""
        if self.tmc.wants(self.platform_shop_id, topic):
            self.publish(topic, order_id=str(trade["tid"]))

    def tmc_permitted(self) -> bool:
        return self.tmc.permitted(self.platform_shop_id)

    def publish(self, topic: str = CHANGED_TOPIC, content: str = "{}", *, user_id: str | None = None,
                user_nick: str | None = None, order_id: str | None = None) -> str:
        """Put a message in the app's queue: any topic, any user (by default this shop);
        `order_id` fills `content` from that trade. → the message id."""
        with self._lock:
            if order_id is not None:
                content = tmc_content(self.trades[order_id], topic, self.seller_nick)
            return self.tmc.publish(topic, content, self.platform_shop_id if user_id is None else user_id,
                                    self.seller_nick if user_nick is None else user_nick)

    # -- test helpers --------------------------------------------------------------------------

    def hide_details(self, order_id: str) -> None:
        """The trade stays in the increment feed, but its details and memo are refused (isv.trade-not-exist)."""
        with self._lock:
            self._hidden.add(order_id)

    def calls_to(self, api: str) -> list[dict[str, str]]:
        with self._lock:
            return [params for name, params in self.calls if name == api]

    def trade(self, order_id: str) -> Trade:
        with self._lock:
            return copy.deepcopy(self.trades[order_id])
