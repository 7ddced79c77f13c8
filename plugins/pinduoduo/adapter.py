"""The Pinduoduo adapter: sdk calls → signed gateway calls, replies → sdk events.

Settings (per shop, under ``plugins.pinduoduo.``):
    ``base_url``         the gateway, default https://gw-api.pinduoduo.com/api/router
    ``auth_url``         the authorisation page, default the merchant web page
    ``page_size``        orders per increment page, 1..100 (default 100)
    ``history_hours``    how far back the first sync reads, 1..168 (default 24)
    ``pmc_url``          the PMC message service, default wss://message-api.pinduoduo.com
    ``pmc_heartbeat_s``  seconds between PMC heartbeats, 1..60 (default 10)
Credentials come from the keyring: ``client_id``, ``client_secret``, and from the
OAuth step ``access_token`` / ``refresh_token``.

What the open API offers merchants (research §3, §9): orders, the seller note with
its tag, OAuth, and push through the PMC message service over a WebSocket (§3.7,
`pmc`): an order or refund message names the order, which is read in full with
pdd.order.information.get. There is no merchant↔buyer chat API, so no chat capability.
Stateless translation only: no retries, sleeps or persistence here.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode

from desktop.sdk import (
    AdapterContext,
    AuthExpired,
    Capability,
    CredentialField,
    Event,
    MessageEvent,
    OrderEvent,
    Page,
    PlatformInfo,
    PushUnavailable,
    Rejected,
    SendMessage,
    SetRemark,
    SettingField,
    Tokens,
    Transfer,
)
from desktop.sdk.settings import setting_int, setting_text
from desktop.sdk.websocket import connect_websocket

from . import feed, pmc
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
    permit_granted,
    tokens,
    updated_at,
)
from .protocol import (
    API_DETAIL,
    API_INCREMENT,
    API_NOTE,
    API_PMC_PERMIT,
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
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS, Capability.OAUTH, Capability.PUSH}),
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
            SettingField("pmc_url", "消息服务地址", pmc.PMC_URL,
                         "The PMC WebSocket service (order push); change only for a test service."),
            SettingField("pmc_heartbeat_s", "消息服务心跳秒数", pmc.HEARTBEAT_S,
                         f"Seconds between PMC heartbeats, {pmc.HEARTBEAT_MIN_S}..{pmc.HEARTBEAT_MAX_S}."),
        ),
        flags=TAGS,
        # The spec publishes no note limit; this is a conservative guess (see protocol).
        memo_max_chars=NOTE_MAX_CHARS,
        color="#e02e24",
        limits_note="可同步订单、写备注和标记，订单变化经消息服务实时推送；拼多多开放平台不提供客服聊天，"
                    "买家身份不公开（每个订单单独显示）。",
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

    # -- push: the PMC message service (§3.7) -------------------------------------------------------
    async def push(self) -> AsyncGenerator[Event, None]:
        """Order changes as Pinduoduo's message service announces them (§3.7, `pmc`).

        Enables the service for this shop (pdd.pmc.user.permit; an app without the rights
        for it is PushUnavailable), connects, and for each ``pdd_trade_*`` /
        ``pdd_refund_*`` message of this shop reads the order with
        pdd.order.information.get and yields it. The message is acknowledged only when the
        generator is resumed after that yield, so one whose order was not taken is
        redelivered on the next connection. Other topics are acknowledged and ignored; a
        malformed message is logged and acknowledged; a message for another shop of the
        same app is left unacknowledged for that shop's connection. A refused handshake is
        AuthExpired; a dropped connection is Temporary (the stream ends, the engine starts
        it again, and the pulls stay the truth)."""
        mall = self._ctx.platform_shop_id
        if not mall:
            raise PushUnavailable("店铺 ID 未知，无法识别拼多多推送消息；订单按轮询同步")
        heartbeat_s = setting_int(self._ctx.settings, "pmc_heartbeat_s", pmc.HEARTBEAT_S,
                                  pmc.HEARTBEAT_MIN_S, pmc.HEARTBEAT_MAX_S)
        base = setting_text(self._ctx.settings, "pmc_url", pmc.PMC_URL)
        if not base.startswith(("wss://", "ws://")):
            raise Rejected(f"setting pmc_url must be a wss:// URL, got {base!r}")
        await self._permit()
        address = pmc.url(base, self._gateway.secret("client_id"), self._now_ms(),
                          self._gateway.secret("client_secret"))
        opened = False
        try:
            async with connect_websocket(address) as socket:
                opened = True
                session = pmc.Session(socket, heartbeat_s, self._now_ms)
                await session.heartbeat()
                self._ctx.logger.info("拼多多 PMC connected for mall %s", mall)
                while True:
                    frame = await session.receive()
                    named = await self._triage(session, frame, mall)
                    if named is None:
                        continue
                    event = await self._pushed_order(*named)
                    if event is not None:
                        yield event
                    await session.ack(frame)  # the engine took the event: only now
        except AuthExpired as exc:
            if opened:
                raise  # a token refused while reading an order
            raise AuthExpired(f"拼多多消息服务拒绝连接：请检查 client_id / client_secret 和本机时间 ({exc})") from exc

    async def _triage(self, session: pmc.Session, frame: Mapping[str, Any], mall: str) -> tuple[str, str] | None:
        """(order sn, topic) when `frame` is an order message of this shop; otherwise deal
        with it here: ack what is ours but not about an order (or malformed), leave another
        shop's message alone, ignore the service's own frames."""
        kind = pmc.command(frame.get("commandType"))
        if kind is not pmc.Command.COMMON:
            self._not_a_message(kind, frame)
            return None
        try:
            message = pmc.inbound(frame)
        except pmc.BadMessage as exc:
            await self._skip_malformed(session, frame, str(exc))
            return None
        if message.mall != mall:
            self._ctx.logger.debug("拼多多 PMC message %s is for mall %s, not this shop; left to it",
                                   message.id, message.mall)
            return None
        if not message.is_about_an_order():
            self._ctx.logger.debug("拼多多 PMC topic %s ignored", message.topic)
            await session.ack(frame)
            return None
        try:
            return pmc.order_sn(message), message.topic
        except pmc.BadMessage as exc:
            await self._skip_malformed(session, frame, str(exc))
            return None

    async def _permit(self) -> None:
        """pdd.pmc.user.permit for the authorised shop, topics omitted: all the app's (§3.7)."""
        try:
            granted = permit_granted(await self._gateway.call(API_PMC_PERMIT, {}))
        except Rejected as exc:
            raise PushUnavailable(f"拼多多消息服务不可用，订单按轮询同步：{exc.reason}") from exc
        if not granted:
            raise PushUnavailable("拼多多未为本店开通消息服务，订单按轮询同步")

    def _now_ms(self) -> int:
        return int(self._ctx.clock().timestamp() * 1000)

    def _not_a_message(self, kind: pmc.Command | None, frame: Mapping[str, Any]) -> None:
        if kind is pmc.Command.FAIL:
            self._ctx.logger.info("拼多多 PMC sent Fail for id %s", frame.get("id"))
        elif kind is None:
            self._ctx.logger.debug("拼多多 PMC frame with commandType %r ignored", frame.get("commandType"))
        # the service's own HeartBeat / Ack frames need nothing

    async def _skip_malformed(self, session: pmc.Session, frame: Mapping[str, Any], problem: str) -> None:
        """Log (ids and the problem only: content may hold buyer text) and acknowledge, so it
        never comes back; the pulls catch the order."""
        acked = await session.ack(frame)
        self._ctx.logger.warning("malformed 拼多多 PMC message %s: %s; %s", frame.get("id"), problem,
                                 "acknowledged" if acked else "it has no id to acknowledge")

    async def _pushed_order(self, sn: str, topic: str) -> OrderEvent | None:
        """The order a message names; None when the platform refuses to show it for good."""
        try:
            return await self.fetch_order(sn)
        except Rejected as exc:
            self._ctx.logger.warning("拼多多 PMC %s for order %s: the order cannot be read (%s); acknowledged",
                                     topic, sn, exc.reason)
            return None

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

