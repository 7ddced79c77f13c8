"""The Doudian (抖店) adapter: sdk calls → signed gateway requests, replies → sdk events.

Gateway (research §4.1): POST `{base_url}/{a}/{b}` for method `a.b`, system
parameters in the query, body = the signed `param_json`. Settings (per shop):
``base_url`` (gateway override), ``service_id`` (服务市场 id for the
authorisation page), ``page_size`` (1..100), ``window_minutes`` (1..1440),
``initial_days`` (1..90), ``sign_method`` (hmac-sha256 | md5). Credentials from
the keyring: ``app_key``, ``app_secret``, ``access_token``, ``refresh_token``.

Push (research §4.7, 消息推送): the app's push URL in the Doudian console is the shop's
SeatDesk webhook URL; `push()` checks each delivery's `event-sign` with the app's own
key and secret, answers it, and yields the orders its order and after-sale messages name
(read with order.orderDetail). Without a public URL it raises PushUnavailable and the
shop is polled.

Stateless translation only: no retries, sleeps or persistence here.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx

from desktop.sdk import (
    API_VERSION,
    AdapterContext,
    AdapterError,
    AuthExpired,
    Capability,
    CredentialField,
    Event,
    FlagColor,
    FlagOption,
    MessageEvent,
    OrderEvent,
    Page,
    PlatformInfo,
    PushUnavailable,
    Rejected,
    SendMessage,
    SetRemark,
    SettingField,
    Temporary,
    Tokens,
    Transfer,
)
from desktop.sdk.push import WebhookDelivery
from desktop.sdk.settings import setting_int

from . import feed
from .mapping import STATUS, malformed, map_order
from .protocol import (
    AUTHORIZE_URL,
    GATEWAY,
    HEADERS,
    M_ADD_REMARK,
    M_ORDER_DETAIL,
    M_SEARCH_LIST,
    M_TOKEN_CREATE,
    M_TOKEN_REFRESH,
    PAGE_SIZE_MAX,
    REFRESH_TOKEN_DAYS,
    REMARK_MAX_CHARS,
    STAR_MAX,
    STAR_MIN,
    TOKEN_METHODS,
    decode_envelope,
    url_for,
)
from .push import EVENT_SIGN_HEADER, REPLY_FAIL, REPLY_OK, pushed_orders, split_push_body, verify_event_sign
from .signing import SIGN_METHOD_HMAC, SIGN_METHODS, WIRE_VERSION, param_json, sign

DEFAULT_PAGE_SIZE = PAGE_SIZE_MAX
DEFAULT_WINDOW_MINUTES = 24 * 60  # the spec names no limit; a day is the usual cap on such APIs
DEFAULT_INITIAL_DAYS = 7
NOT_OFFERED = "not offered by this platform's open API (抖店开放平台没有飞鸽客服聊天接口)"
NO_PUBLIC_URL = "未配置 Webhook 公网地址，抖店订单按轮询同步 (no public webhook URL: orders are polled)"
JSON = "application/json; charset=utf-8"

_SETTINGS = (
    SettingField("base_url", "网关地址", GATEWAY, "The Doudian open-API gateway; change only for a test server."),
    SettingField("service_id", "服务市场服务ID", None,
                 "Your app's service_id on fuwu.jinritemai.com; the authorisation page needs it."),
    SettingField("page_size", "每页订单数", DEFAULT_PAGE_SIZE, "Orders per order.searchList page, 1..100."),
    SettingField("window_minutes", "同步时间窗(分钟)", DEFAULT_WINDOW_MINUTES,
                 "Longest update-time window per query, 1..1440 minutes."),
    SettingField("initial_days", "首次同步天数", DEFAULT_INITIAL_DAYS, "How far back the first sync reaches, 1..90 days."),
    SettingField("sign_method", "签名算法", SIGN_METHOD_HMAC, "hmac-sha256 (default) or the legacy md5."),
)
_CREDENTIALS = (
    CredentialField("app_key", "App Key", secret=False, help="From the Doudian open platform console."),
    CredentialField("app_secret", "App Secret", help="Signs every request; never leaves this machine."),
    CredentialField("access_token", "Access Token", help="Filled by the authorisation step (valid 7 days)."),
    CredentialField("refresh_token", "Refresh Token", help="Filled by the authorisation step (valid 14 days)."),
)


def _scrub(error: Exception, query: Mapping[str, str]) -> str:
    """An httpx error's text without the token or sign it may quote from the URL."""
    text = str(error)
    for name in ("access_token", "sign"):
        if query.get(name):
            text = text.replace(query[name], "***")
    return text


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if isinstance(value, bool) or value is None:
        return ""
    return str(value) if isinstance(value, (str, int)) else ""


class DouyinAdapter:
    """One Doudian shop."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="douyin",
        display_name="抖店",
        api_versions=(API_VERSION,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS, Capability.OAUTH, Capability.PUSH}),
        push_by_webhook=True,  # the user registers the shop's SeatDesk webhook URL
        credential_fields=_CREDENTIALS,
        # star 0..5, "数字越大颜色越深"; note the order differs from Taobao/JD (research §8)
        flags=(
            FlagOption(0, FlagColor.GRAY, "灰旗"),
            FlagOption(1, FlagColor.PURPLE, "紫旗"),
            FlagOption(2, FlagColor.CYAN, "青旗"),
            FlagOption(3, FlagColor.GREEN, "绿旗"),
            FlagOption(4, FlagColor.ORANGE, "橙旗"),
            FlagOption(5, FlagColor.RED, "红旗"),
        ),
        memo_max_chars=REMARK_MAX_CHARS,
        color="#fe2c55",
        settings=_SETTINGS,
        limits_note=("可同步订单、写备注和插旗（在抖店开放平台把消息推送地址设为本店的 Webhook 公网地址后，"
                     "订单变化即时推送，否则轮询）；抖店开放平台不提供飞鸽客服聊天接口，聊天请在飞鸽工作台处理。"),
    )

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx

    # -- plumbing ------------------------------------------------------------------------------
    def _now(self) -> int:
        return int(self._ctx.clock().timestamp())

    def _secret(self, name: str) -> str:
        value = self._ctx.secrets.get(name)
        if not value:
            raise AuthExpired(f"抖店 credential {name!r} is missing; authorise the shop again")
        return value

    def _base_url(self) -> str:
        base = self._ctx.settings.get("base_url") or GATEWAY
        if not isinstance(base, str):
            raise Rejected(f"setting base_url must be a URL, got {base!r}")
        return base

    def _sign_method(self) -> str:
        method = self._ctx.settings.get("sign_method") or SIGN_METHOD_HMAC
        if method not in SIGN_METHODS:
            raise Rejected(f"setting sign_method must be one of {', '.join(SIGN_METHODS)}, got {method!r}")
        return str(method)

    def _feed_config(self) -> feed.FeedConfig:
        settings = self._ctx.settings
        return feed.FeedConfig(
            page_size=setting_int(settings, "page_size", DEFAULT_PAGE_SIZE, 1, PAGE_SIZE_MAX),
            window_s=60 * setting_int(settings, "window_minutes", DEFAULT_WINDOW_MINUTES, 1, 24 * 60),
            lookback_s=86400 * setting_int(settings, "initial_days", DEFAULT_INITIAL_DAYS, 1, 90),
        )

    async def _call(self, method: str, params: Mapping[str, object]) -> dict[str, Any]:
        """One signed gateway call → the reply's `data`, or a typed error."""
        app_key, app_secret = self._secret("app_key"), self._secret("app_secret")
        body = param_json(params)
        timestamp = self._now()
        sign_method = self._sign_method()
        query = {
            "app_key": app_key,
            "method": method,
            "v": WIRE_VERSION,
            "timestamp": str(timestamp),
            "sign": sign(app_key, app_secret, method, body, timestamp, sign_method),
            "sign_method": sign_method,
        }
        if method not in TOKEN_METHODS:
            query["access_token"] = self._secret("access_token")
        try:
            response = await self._ctx.http.post(url_for(self._base_url(), method), params=query,
                                                 content=body.encode("utf-8"), headers=HEADERS)
        except httpx.TimeoutException as exc:
            raise Temporary(f"抖店 {method} timed out: {type(exc).__name__}") from None
        except httpx.InvalidURL as exc:
            raise Rejected(f"setting base_url is not a usable URL: {_scrub(exc, query)}") from None
        except httpx.TransportError as exc:
            raise Temporary(f"抖店 {method} unreachable: {type(exc).__name__}: {_scrub(exc, query)}") from None
        data = decode_envelope(method, response.status_code, response.content)
        self._ctx.logger.debug("抖店 %s ok", method)
        return data

    # -- the adapter protocol ------------------------------------------------------------------
    async def check_connection(self) -> None:
        """A one-row order query over the last minute: signature, token and order scope."""
        now = self._now()
        await self._call(M_SEARCH_LIST, feed.search_params(now - 60, now, 0, 1))

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        return Page(events=(), next_cursor=None, has_more=False)  # no buyer-chat API (research §4.8)

    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        config = self._feed_config()
        now = self._now()  # one "now" per call: caught up means up to when we asked
        state, params = feed.plan(cursor, now, config)
        data = await self._call(M_SEARCH_LIST, params)
        rows, after, has_more = feed.advance(state, data, now, config)
        events = tuple(map_order(row) for row in rows)
        for event in events:
            if int(event.extra["order_status"]) not in STATUS:
                self._ctx.logger.warning("抖店 order %s has an unknown order_status %s; shown as %s",
                                         event.platform_order_id, event.extra["order_status"], event.status.value)
        self._ctx.logger.debug("抖店 orders %s..%s page %s: %d reported", state.start, state.end,
                               params["page"], len(events))
        return Page(events=events, next_cursor=after.encode(), has_more=has_more)

    async def fetch_order(self, order_id: str) -> OrderEvent:
        """One order's full record (order.orderDetail)."""
        data = await self._call(M_ORDER_DETAIL, {"shop_order_id": order_id})
        return map_order(data.get("shop_order_detail"))

    # -- push (research §4.7) ---------------------------------------------------------------------
    async def push(self) -> AsyncGenerator[Event, None]:
        """The shop's order and after-sale messages as Doudian POSTs them (desktop.sdk.push).

        A delivery is answered as soon as its event-sign checks out, before any order is read:
        SeatDesk's receiver gives the adapter a few seconds, and one delivery may name many
        orders. Each order it names is then read once with order.orderDetail and yielded. A read
        that fails is logged and left to the next pull; only AuthExpired ends the stream."""
        hooks = self._ctx.webhooks
        if hooks is None:
            raise PushUnavailable(NO_PUBLIC_URL)
        async for delivery in hooks:
            for order_id in self._delivered(delivery):
                event = await self._pushed_order(order_id)
                if event is not None:
                    yield event

    def _delivered(self, delivery: WebhookDelivery) -> tuple[str, ...]:
        """Check and answer one delivery; the ids of this shop's orders it names."""
        log = self._ctx.logger
        try:
            app_key, app_secret = self._secret("app_key"), self._secret("app_secret")
        except AuthExpired:
            delivery.reply(503, REPLY_FAIL, JSON)  # not checked: Doudian sends it again
            raise
        if not verify_event_sign(app_key, app_secret, delivery.body, delivery.header(EVENT_SIGN_HEADER)):
            # 401, not the module's 200 + fail: Doudian reads anything but the success body as a
            # failed push either way, and the receiver's log and a forger see a plain refusal
            delivery.reply(401, REPLY_FAIL, JSON)
            log.warning("抖店 push refused: event-sign does not match this app's key and secret")
            return ()
        delivery.reply(200, REPLY_OK, JSON)
        try:
            messages, problems = split_push_body(delivery.body)
        except ValueError as exc:
            log.warning("抖店 push delivery not read: %s", str(exc)[:200])
            return ()
        found = pushed_orders(messages, self._ctx.platform_shop_id)
        for problem in (*problems, *found.problems):
            log.warning("抖店 push message not read: %s", problem[:200])
        if found.other_shops:
            log.info("抖店 push: %d message(s) for another shop of this app skipped (msg_id %s)",
                     len(found.other_shops), ", ".join(found.other_shops[:5]))
        if found.ignored:
            log.debug("抖店 push: %d message(s) of other tags ignored", len(found.ignored))
        return found.order_ids

    async def _pushed_order(self, order_id: str) -> OrderEvent | None:
        try:
            return await self.fetch_order(order_id)
        except AuthExpired:
            raise
        except AdapterError as exc:  # rate limited, platform down, malformed: the pulls stay the truth
            self._ctx.logger.warning("抖店 pushed order %s not read: %s", order_id, exc)
            return None

    async def send_message(self, cmd: SendMessage) -> str:
        raise Rejected(f"sending chat messages is {NOT_OFFERED}")

    async def set_remark(self, cmd: SetRemark) -> None:
        problem = self.info.memo_problem(cmd.text)
        if problem:
            raise Rejected(f"抖店 remark too long: {problem}")
        # No flag = grey star 0, set explicitly: is_add_star=false would leave an old colour in place.
        star = STAR_MIN if cmd.flag is None else cmd.flag
        if not STAR_MIN <= star <= STAR_MAX:
            raise Rejected(f"抖店 star must be {STAR_MIN}..{STAR_MAX}, got {cmd.flag!r}")
        # One seller remark per order, replaced by each call (our reading of the API; the
        # spec does not say), so a retry with the same key lands on the same state.
        await self._call(M_ADD_REMARK, {"order_id": cmd.platform_order_id, "remark": cmd.text,
                                        "is_add_star": "true", "star": str(star)})

    async def transfer(self, cmd: Transfer) -> None:
        raise Rejected(f"transferring chats is {NOT_OFFERED}")


    # -- OAuth (research §4.4) -----------------------------------------------------------------
    @classmethod
    def authorize_url(cls, settings: Mapping[str, object], secrets: Mapping[str, str],
                      redirect_uri: str, state: str) -> str:
        """The 服务市场 authorisation page. Doudian returns to the callback URL set in the
        console, not to `redirect_uri`; the merchant pastes the `code` shown there."""
        service_id = settings.get("service_id")
        if isinstance(service_id, bool) or not isinstance(service_id, (str, int)) or not str(service_id).strip():
            raise Rejected("抖店 authorisation needs setting service_id (服务市场服务ID of your app)")
        return f"{AUTHORIZE_URL}?{urlencode({'service_id': str(service_id).strip(), 'state': state})}"

    async def exchange_code(self, code: str, redirect_uri: str) -> Tokens:
        """token.create with the authorisation code (valid 10 minutes, single use)."""
        data = await self._call(M_TOKEN_CREATE, {"code": code, "grant_type": "authorization_code"})
        return self._tokens(data)

    async def authorize_self(self) -> Tokens:
        """token.create for a self-use (自用型) app: no code, the shop id instead."""
        shop = self._ctx.platform_shop_id.strip()
        if not shop.isdigit():
            raise Rejected(f"抖店 shop id must be the numeric shop_id, got {shop!r}")
        data = await self._call(M_TOKEN_CREATE, {"code": "", "grant_type": "authorization_self",
                                                 "shop_id": int(shop)})
        return self._tokens(data)

    async def refresh_tokens(self) -> Tokens:
        """token.refresh. The new pair goes to the keyring at once, so a crash before the
        engine stores the reply cannot lose it (a used refresh token may not work twice)."""
        data = await self._call(M_TOKEN_REFRESH, {"grant_type": "refresh_token",
                                                  "refresh_token": self._secret("refresh_token")})
        tokens = self._tokens(data)
        self._ctx.secrets.set("access_token", tokens.access_token)
        self._ctx.secrets.set("refresh_token", tokens.refresh_token)
        return tokens

    def _tokens(self, data: Mapping[str, Any]) -> Tokens:
        access, refresh, expires_in = data.get("access_token"), data.get("refresh_token"), data.get("expires_in")
        if not isinstance(access, str) or not access or not isinstance(refresh, str) or not refresh:
            raise malformed("token reply", "lacks access_token or refresh_token")
        if isinstance(expires_in, bool) or not isinstance(expires_in, int) or expires_in <= 0:
            raise malformed("token reply", f"has expires_in {expires_in!r}")
        shop_id = _text(data, "shop_id")
        wanted = self._ctx.platform_shop_id.strip()
        if shop_id and wanted and shop_id != wanted:
            raise Rejected(f"抖店 authorised shop {shop_id} ({_text(data, 'shop_name')}), not shop {wanted}")
        now = self._ctx.clock()
        extra = {key: _text(data, key) for key in ("shop_id", "shop_name", "authority_id", "auth_subject_type",
                                                   "scope") if _text(data, key)}
        return Tokens(access_token=access, refresh_token=refresh, expires_at=now + timedelta(seconds=expires_in),
                      refresh_expires_at=now + timedelta(days=REFRESH_TOKEN_DAYS), extra=extra)
