"""The Pinduoduo adapter: sdk calls → signed gateway calls, replies → sdk events.

Settings (per shop, under ``plugins.pinduoduo.``):
    ``base_url``       the gateway, default https://gw-api.pinduoduo.com/api/router
    ``auth_url``       the authorisation page, default the merchant web page
    ``page_size``      orders per increment page, 1..100 (default 100)
    ``history_hours``  how far back the first sync reads, 1..168 (default 24)
Credentials come from the keyring: ``client_id``, ``client_secret``, and from the
OAuth step ``access_token`` / ``refresh_token``.

What the open API offers merchants (research §3, §9): orders, the seller note with
its tag, OAuth. There is no merchant↔buyer chat API, so no chat capability.
Stateless translation only: no retries, sleeps or persistence here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode

from desktop.sdk import (
    AdapterContext,
    AuthExpired,
    Capability,
    CredentialField,
    MessageEvent,
    OrderEvent,
    Page,
    PlatformInfo,
    Rejected,
    SendMessage,
    SetRemark,
    SettingField,
    Tokens,
    Transfer,
)
from desktop.sdk.settings import setting_int

from . import feed
from .client import Gateway
from .mapping import (
    TAGS,
    detail_order,
    has_details,
    increment_page,
    malformed,
    note_result,
    order_event,
    order_sn,
    tokens,
    updated_at,
)
from .protocol import (
    API_DETAIL,
    API_INCREMENT,
    API_NOTE,
    API_TOKEN_CREATE,
    API_TOKEN_REFRESH,
    AUTHORIZE_URL,
    GATEWAY_URL,
    LUCKY_FLAG_ALL,
    NOTE_MAX_CHARS,
    ORDER_STATUS_ALL,
    PAGE_SIZE_MAX,
    REFUND_STATUS_ALL,
    TAG_NAME_MAX_CHARS,
    unix_seconds,
)

DEFAULT_HISTORY_HOURS = 24
HISTORY_HOURS_MAX = 168
_NO_CHAT = "拼多多开放平台不向商家提供客服聊天接口 (chat is not offered by this platform's open API)"


class PinduoduoAdapter:
    """One Pinduoduo shop (mall), authorised through OAuth."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="pinduoduo",
        display_name="拼多多",
        api_versions=(1,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS, Capability.OAUTH}),
        credential_fields=(
            CredentialField("client_id", "Client ID", secret=False, help="拼多多开放平台应用的 client_id"),
            CredentialField("client_secret", "Client Secret", help="应用的 client_secret；只用于签名，不会发送"),
            CredentialField("access_token", "Access Token", help="授权后得到（OAuth 步骤自动填写）"),
            CredentialField("refresh_token", "Refresh Token", help="授权后得到（OAuth 步骤自动填写）"),
        ),
        settings=(
            SettingField("base_url", "网关地址", GATEWAY_URL, "The /api/router URL; change only for a test gateway."),
            SettingField("auth_url", "授权页地址", AUTHORIZE_URL,
                         "Merchant web page; https://mai.pinduoduo.com/h5-login.html for mobile."),
            SettingField("page_size", "每页订单数", PAGE_SIZE_MAX, f"Orders per increment page, 1..{PAGE_SIZE_MAX}."),
            SettingField("history_hours", "首次同步回溯小时数", DEFAULT_HISTORY_HOURS,
                         f"How far back the first order sync reads, 1..{HISTORY_HOURS_MAX} hours."),
        ),
        flags=TAGS,
        # The spec publishes no note limit; this is a conservative guess (see protocol).
        memo_max_chars=NOTE_MAX_CHARS,
        color="#e02e24",
        limits_note="可同步订单、写备注和标记；拼多多开放平台不提供客服聊天，买家身份不公开（每个订单单独显示）。",
    )

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx
        self._gateway = Gateway(ctx)

    # -- OAuth (§3.4) ----------------------------------------------------------------------------
    @classmethod
    def authorize_url(cls, settings: Mapping[str, object], secrets: Mapping[str, str],
                      redirect_uri: str, state: str) -> str:
        client_id = secrets.get("client_id")
        if not client_id:
            raise Rejected("填写拼多多应用的 client_id 后才能打开授权页")
        base = settings.get("auth_url") or AUTHORIZE_URL
        if not isinstance(base, str):
            raise Rejected(f"setting auth_url must be a URL, got {base!r}")
        view = "h5" if "h5-login" in base else "web"
        query = urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                           "state": state, "view": view})
        return f"{base}{'&' if '?' in base else '?'}{query}"

    async def exchange_code(self, code: str, redirect_uri: str) -> Tokens:
        # pdd.pop.auth.token.create takes the code alone; the redirect_uri was checked
        # by the authorisation page against the app's registered callback.
        reply = await self._gateway.call(API_TOKEN_CREATE, {"code": code}, authorised=False)
        result = tokens(reply, "pop_auth_token_create_response", self._ctx.clock())
        owner, shop = result.extra.get("owner_id"), self._ctx.platform_shop_id
        if owner and shop and owner != shop:
            raise Rejected(f"授权的是另一个店铺 (owner_id {owner})，而不是店铺 {shop}；请用该店铺主账号重新授权")
        self._keep(result)
        return result

    async def refresh_tokens(self) -> Tokens:
        refresh = self._gateway.secret("refresh_token")
        try:
            reply = await self._gateway.call(API_TOKEN_REFRESH, {"refresh_token": refresh}, authorised=False)
        except Rejected as exc:  # the refresh token is refused: only a new authorisation helps
            raise AuthExpired(f"拼多多拒绝刷新授权，请重新授权店铺: {exc.reason}") from exc
        result = tokens(reply, "pop_auth_token_refresh_response", self._ctx.clock())
        self._keep(result)
        return result

    def _keep(self, result: Tokens) -> None:
        self._ctx.secrets.set("access_token", result.access_token)
        if result.refresh_token:
            self._ctx.secrets.set("refresh_token", result.refresh_token)

    # -- the adapter protocol ---------------------------------------------------------------------
    def _now(self) -> int:
        return unix_seconds(self._ctx.clock())

    async def _increment(self, start: int, end: int, page: int, page_size: int) -> dict[str, Any]:
        return await self._gateway.call(API_INCREMENT, {
            "start_updated_at": start,
            "end_updated_at": end,
            "order_status": ORDER_STATUS_ALL,
            "refund_status": REFUND_STATUS_ALL,
            "is_lucky_flag": LUCKY_FLAG_ALL,
            "page": page,
            "page_size": page_size,
            "use_has_next": False,  # we need total_count to page backwards
        })

    async def check_connection(self) -> None:
        """One authorised call: the last minute's increment, one order at most."""
        now = self._now()
        increment_page(await self._increment(now - 60, now, 1, 1))

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        return Page((), cursor, has_more=False)  # no chat API for merchants (§3.8)

    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        now = self._now()
        size = setting_int(self._ctx.settings, "page_size", PAGE_SIZE_MAX, 1, PAGE_SIZE_MAX)
        state = feed.decode(cursor) if cursor is not None else None
        if state is None:
            if cursor is not None:
                self._ctx.logger.warning("拼多多 order cursor not understood; reading history again")
            hours = setting_int(self._ctx.settings, "history_hours", DEFAULT_HISTORY_HOURS, 1, HISTORY_HOURS_MAX)
            state = feed.FeedState(start=now - hours * 3600)
        start, end, page, size = feed.window(state, now, size)
        reply = increment_page(await self._increment(start, end, page, size))
        if reply.total_count is None:
            raise malformed("order_sn_increment_get_response", "lacks total_count (asked with use_has_next=false)")
        events: list[OrderEvent] = []
        at_end: dict[str, str] = {}
        for i, record in enumerate(reply.orders):
            what = f"order_sn_list[{i}]"
            sn, digest = order_sn(record, what), feed.fingerprint(record)
            if unix_seconds(updated_at(record, what)) == end:
                at_end[sn] = digest
            if state.seen_at_start.get(sn) == digest:
                continue  # read at the end of the previous window, unchanged since
            if not has_details(record):
                record = await self._detail(sn)
            events.append(order_event(record, what))
        next_state, more = feed.step(state, end, page, reply.total_count, size, at_end, now)
        return Page(tuple(events), feed.encode(next_state), has_more=more)

    async def _detail(self, sn: str) -> dict[str, Any]:
        return detail_order(await self._gateway.call(API_DETAIL, {"order_sn": sn}))

    async def fetch_order(self, platform_order_id: str) -> OrderEvent:
        """One order's current state from pdd.order.information.get."""
        return order_event(await self._detail(platform_order_id), "order_info")

    async def set_remark(self, cmd: SetRemark) -> None:
        problem = self.info.memo_problem(cmd.text)
        if problem:
            raise Rejected(f"备注过长: {problem}")
        params: dict[str, object] = {"order_sn": cmd.platform_order_id, "note": cmd.text}
        if cmd.flag is not None:
            option = self.info.flag(cmd.flag)
            if option is None:
                raise Rejected(f"拼多多没有标记 {cmd.flag}（可用 1 红、2 黄、3 绿、4 蓝、5 紫）")
            params["tag"] = option.value
            params["tag_name"] = await self._tag_name(cmd.platform_order_id, option.value, option.label)
        # flag None: tag and tag_name are both left out, the spec's "no tag" (§3.6).
        # The call sets the note outright, so replaying a key changes nothing.
        reason = note_result(await self._gateway.call(API_NOTE, params))
        if reason is not None:
            raise Rejected(reason)

    async def _tag_name(self, sn: str, tag: int, default: str) -> str:
        """Keep the shop's own name for the tag (e.g. "加急") when the colour stays."""
        order = await self._detail(sn)
        name = order.get("remark_tag_name")
        if order.get("remark_tag") == tag and isinstance(name, str) and 0 < len(name) <= TAG_NAME_MAX_CHARS:
            return name
        return default

    async def send_message(self, cmd: SendMessage) -> str:
        raise Rejected(_NO_CHAT)

    async def transfer(self, cmd: Transfer) -> None:
        raise Rejected(_NO_CHAT)

