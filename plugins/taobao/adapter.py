"""TaobaoAdapter: sdk calls → signed TOP calls (orders, memo + flag, OAuth, TMC push), replies → sdk events.

Settings (per shop): ``base_url`` (gateway), ``oauth_url``, ``sign_method``, ``page_size``,
``window_minutes``, ``lookback_hours``, ``use_has_next``, and for push ``tmc_group``,
``tmc_quantity``, ``tmc_idle_s``. Credentials from the keyring: ``app_key``, ``app_secret``,
``access_token`` (TOP's ``session``) and, after an OAuth step, ``refresh_token``,
``taobao_user_id`` and ``taobao_user_nick``. Stateless translation: no retries or
persistence; push's only sleeps are the pause when the message queue is empty and a
call-limit ban.

Push is TMC over HTTP pull (spec 2.7, module tmc): permit the shop, then consume →
fetch each order named once (fullinfo) → yield → confirm. The queue is the *app's*,
shared by every shop authorized to the app key, so another shop's messages are left
unconfirmed for its own consumer (a TMC user group per shop, setting ``tmc_group``,
avoids the detour).

Not here: chat (TOP has no public buyer-chat API, spec 2.8).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import unquote, urlencode

from desktop.sdk import (
    AdapterContext,
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
    RateLimited,
    Rejected,
    Secrets,
    SendMessage,
    SetRemark,
    SettingField,
    Tokens,
    Transfer,
)
from desktop.sdk.settings import setting_bool, setting_int, setting_text

from .client import TopClient
from .envelope import malformed
from .feed import Cursor, Query, advance, plan
from .mapping import FULLINFO_FIELDS, Record, fingerprint, trade_event, trades_of
from .protocol import (
    DEFAULT_SIGN_METHOD,
    FLAG_VALUES,
    FULLINFO_GET,
    GATEWAY_URL,
    HISTORY_MAX,
    INCREMENT_GET,
    MEMO_MAX_BYTES,
    MEMO_UPDATE,
    OAUTH_URL,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    PAGE_SIZE_MIN,
    TMC_DEFAULT_GROUP,
    TMC_QUANTITY_DEFAULT,
    TMC_QUANTITY_MAX,
    TMC_QUANTITY_MIN,
    TOKEN_CREATE,
    TOKEN_REFRESH,
    WINDOW_MAX,
    WINDOW_RECOMMENDED,
    china_now_second,
    format_time,
)
from .tmc import IDLE_S_DEFAULT, ShopIdentity, TmcQueue, TmcSettings, sort_batch

DEFAULT_LOOKBACK_HOURS = 24
_WINDOW_DEFAULT_MIN = int(WINDOW_RECOMMENDED.total_seconds() // 60)
DETAIL_CONCURRENCY = 4  # fullinfo calls in flight per page
_INCREMENT_FIELDS = "tid,modified"  # the detail call brings the rest (the memo is not in the increment reply)
_TOKEN_EXTRAS = ("taobao_user_id", "taobao_user_nick", "sub_taobao_user_id", "sub_taobao_user_nick")
_NO_CHAT = "not offered by Taobao's open API (there is no public Wangwang/Qianniu chat API)"

_SETTINGS = (
    SettingField("base_url", "网关地址", GATEWAY_URL, "TOP gateway, e.g. https://eco.taobao.com/router/rest."),
    SettingField("oauth_url", "授权地址", OAUTH_URL, "Host of the authorize page (…/authorize)."),
    SettingField("sign_method", "签名方式", DEFAULT_SIGN_METHOD, "md5, hmac (HMAC-MD5) or hmac-sha256."),
    SettingField("page_size", "每页条数", PAGE_SIZE_DEFAULT, "Trades per increment page, 1..100 (TOP suggests 40–50)."),
    SettingField("window_minutes", "增量时间窗(分钟)", _WINDOW_DEFAULT_MIN,
                 "Minutes of `modified` per increment query, 1..1440 (TOP suggests 30 or less)."),
    SettingField("lookback_hours", "首次同步回溯(小时)", DEFAULT_LOOKBACK_HOURS,
                 f"How far back a new shop's first sync starts, 1..{int(HISTORY_MAX.total_seconds() // 3600)}."),
    SettingField("use_has_next", "使用 has_next 翻页", False,
                 "Page forward by has_next (faster); off = read pages last to first, as TOP advises to miss nothing."),
    SettingField("tmc_group", "消息分组(TMC)", TMC_DEFAULT_GROUP,
                 "TMC user group to read. Several shops on one App Key: put each in its own group "
                 "(taobao.tmc.group.add) and name it here; 'default' reads the app's default group."),
    SettingField("tmc_quantity", "每次取消息条数", TMC_QUANTITY_DEFAULT,
                 f"Messages per taobao.tmc.messages.consume call, {TMC_QUANTITY_MIN}..{TMC_QUANTITY_MAX}."),
    SettingField("tmc_idle_s", "消息空闲间隔(秒)", IDLE_S_DEFAULT,
                 "Seconds to wait before asking again when the message queue is empty "
                 "(TOP suggests 0.1; 1 saves call quota, the order then arrives within about a second)."),
)
_CREDENTIALS = (
    CredentialField("app_key", "App Key", secret=False, help="From the TOP console (开放平台控制台)."),
    CredentialField("app_secret", "App Secret", help="Signs every request; never leaves this machine."),
    CredentialField("access_token", "授权 Session (access_token)", help="Filled in by the authorization step."),
)


class TaobaoAdapter:
    """One Taobao / Tmall shop over the TOP open API."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="taobao",
        display_name="淘宝/天猫",
        api_versions=(1,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS, Capability.OAUTH, Capability.PUSH}),
        credential_fields=_CREDENTIALS,
        flags=(
            FlagOption(0, FlagColor.GRAY, "灰旗"),
            FlagOption(1, FlagColor.RED, "红旗"),
            FlagOption(2, FlagColor.YELLOW, "黄旗"),
            FlagOption(3, FlagColor.GREEN, "绿旗"),
            FlagOption(4, FlagColor.BLUE, "蓝旗"),
            # memo.update's doc says pink, fullinfo's seller_flag doc and the seller UI say purple.
            FlagOption(5, FlagColor.PURPLE, "紫旗"),
        ),
        memo_max_bytes=MEMO_MAX_BYTES,  # UTF-8 bytes: 333 Chinese characters
        color="#ff5000",
        settings=_SETTINGS,
        limits_note="可同步订单、写备注和插旗，订单变化经淘宝消息服务(TMC)即时送达，另有定时拉取兜底；"
                    "淘宝开放平台不提供客服聊天接口（读取、发送、转接都不行），聊天请在千牛中处理。",
    )

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx
        self._top = TopClient(ctx)

    # -- connection ----------------------------------------------------------------------------

    async def check_connection(self) -> None:
        """A one-trade increment query over the last minute: checks key, secret, session and the trade permission."""
        now = china_now_second(self._ctx.clock())
        result = await self._top.call(INCREMENT_GET, {
            "fields": "tid",
            "start_modified": format_time(now - timedelta(minutes=1)),
            "end_modified": format_time(now),
            "page_no": "1",
            "page_size": "1",
            "use_has_next": "true",
        })
        trades_of(Record(result, f"{INCREMENT_GET} reply"))

    # -- orders --------------------------------------------------------------------------------

    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        settings = self._ctx.settings
        now = china_now_second(self._ctx.clock())
        if cursor:
            at = Cursor.load(cursor)
        else:
            hours = setting_int(settings, "lookback_hours", DEFAULT_LOOKBACK_HOURS, 1,
                                int(HISTORY_MAX.total_seconds() // 3600))
            at = Cursor(start=now - timedelta(hours=hours))
        window = timedelta(minutes=setting_int(settings, "window_minutes", _WINDOW_DEFAULT_MIN, 1,
                                               int(WINDOW_MAX.total_seconds() // 60)))
        at, query = plan(
            at, now, window=window,
            page_size=setting_int(settings, "page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MIN, PAGE_SIZE_MAX),
            use_has_next=setting_bool(settings, "use_has_next", False),
        )
        if query is None:
            return Page((), at.dump(), False)
        reply = await self._increment(query)
        listed = [self._listed(entry, i) for i, entry in enumerate(trades_of(reply))]
        total: int | None = None
        has_next: bool | None = None
        if query.use_has_next:
            has_next = reply.boolean("has_next")
        elif at.end is None:  # the first page of a window: how many pages it has
            total = reply.integer("total_results")
        details = await self._details([tid for tid, _ in listed])
        events: list[OrderEvent] = []
        reported: list[tuple[datetime, str]] = []
        for (_, modified), detail in zip(listed, details, strict=True):
            if detail is None:
                continue
            event = trade_event(detail, f"{FULLINFO_GET} trade")
            mark = fingerprint(detail)
            reported.append((modified, mark))
            if mark not in at.seen:  # unchanged since we reported it from the overlap second
                events.append(event)
        at, more = advance(at, query, now, reported=reported, total_results=total, has_next=has_next)
        return Page(tuple(events), at.dump(), more)

    async def _increment(self, query: Query) -> Record:
        result = await self._top.call(INCREMENT_GET, {
            "fields": _INCREMENT_FIELDS,
            "start_modified": format_time(query.start),
            "end_modified": format_time(query.end),
            "page_no": str(query.page_no),
            "page_size": str(query.page_size),
            "use_has_next": "true" if query.use_has_next else "false",
        })
        return Record(result, f"{INCREMENT_GET} reply")

    @staticmethod
    def _listed(entry: object, i: int) -> tuple[str, datetime]:
        r = Record(entry, f"{INCREMENT_GET} trade {i}")
        return r.ident("tid"), r.time("modified")

    async def _details(self, tids: Sequence[str]) -> list[dict[str, Any] | None]:
        """taobao.trade.fullinfo.get for each trade, a few at a time. A trade the platform
        refuses for good (Rejected) is skipped with a warning rather than wedging the feed."""
        gate = asyncio.Semaphore(DETAIL_CONCURRENCY)

        async def one(tid: str) -> dict[str, Any] | None:
            async with gate:
                try:
                    result = await self._top.call(FULLINFO_GET, {"fields": FULLINFO_FIELDS, "tid": tid})
                except Rejected as exc:
                    self._ctx.logger.warning("taobao: trade %s skipped, details refused: %s", tid, exc.reason)
                    return None
            trade = result.get("trade")
            if not isinstance(trade, dict):
                raise malformed(f"{FULLINFO_GET} reply for {tid}", "lacks the 'trade' object")
            return trade

        outcomes = await asyncio.gather(*(one(tid) for tid in tids), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return [o for o in outcomes if not isinstance(o, BaseException)]

    # -- remarks -------------------------------------------------------------------------------

    async def set_remark(self, cmd: SetRemark) -> None:
        """taobao.trade.memo.update sets the whole memo and the flag, and also adds a first
        memo, so a repeat of the same command changes nothing (idempotent by nature)."""
        tid = cmd.platform_order_id
        if not tid.isdigit():
            raise Rejected(f"{tid!r} is not a Taobao trade id (tid)")
        flag = 0 if cmd.flag is None else cmd.flag  # 0 (grey) is TOP's default, "no flag"
        if flag not in FLAG_VALUES:
            raise Rejected(f"flag {flag} is not one of Taobao's {FLAG_VALUES}")
        problem = self.info.memo_problem(cmd.text)
        if problem:
            raise Rejected(f"memo too long: {problem}")
        params = {"tid": tid, "flag": str(flag)}
        if cmd.text:
            params["memo"] = cmd.text
        else:
            params["reset"] = "true"  # an empty memo alone would leave the old one in place
        result = await self._top.call(MEMO_UPDATE, params)
        Record(result, f"{MEMO_UPDATE} reply").obj("trade").ident("tid")

    # -- push: TMC over HTTP pull (spec 2.7) ----------------------------------------------------

    async def push(self) -> AsyncGenerator[Event, None]:
        """Permit the shop, then loop: consume a batch, fetch each order it names once, yield
        the orders, confirm the batch. A message is confirmed only after its order was
        yielded (the engine has taken it once the generator resumes); one left unconfirmed is
        delivered again. Any error ends the stream and the engine restarts it: AuthExpired,
        Temporary (network, outage), PushUnavailable when the app or seller lacks TMC rights."""
        queue = TmcQueue(self._top, TmcSettings.read(self._ctx.settings))
        shop = ShopIdentity.of(self._ctx.platform_shop_id, self._ctx.secrets)
        await queue.permit()
        while True:
            batch = sort_batch(await self._consume(queue), shop, self._ctx.logger)
            for detail in await self._details(batch.tids):
                if detail is not None:
                    yield trade_event(detail, f"{FULLINFO_GET} trade")
            if batch.confirm:
                await queue.confirm(batch.confirm)
            else:  # nothing of this shop's: the queue is empty (for us)
                await asyncio.sleep(queue.settings.idle_s)

    async def _consume(self, queue: TmcQueue) -> list[Any]:
        """One consume; a call-limit ban is sat out here rather than ending the stream."""
        while True:
            try:
                return await queue.consume()
            except RateLimited as exc:
                self._ctx.logger.info("taobao: TMC consume call-limited; waiting %.0f s", exc.retry_after)
                await asyncio.sleep(exc.retry_after)

    # -- chat: not offered ---------------------------------------------------------------------

    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        return Page((), cursor, False)

    async def send_message(self, cmd: SendMessage) -> str:
        raise Rejected(f"sending chat messages is {_NO_CHAT}")

    async def transfer(self, cmd: Transfer) -> None:
        raise Rejected(f"transferring a chat is {_NO_CHAT}")

    # -- OAuth (spec 2.4) ----------------------------------------------------------------------

    @classmethod
    def authorize_url(cls, settings: Mapping[str, object], secrets: Mapping[str, str] | Secrets,
                      redirect_uri: str, state: str) -> str:
        app_key = secrets.get("app_key")
        if not app_key:
            raise Rejected("enter the App Key before authorizing the shop")
        query = urlencode({"response_type": "code", "client_id": app_key, "redirect_uri": redirect_uri,
                           "state": state, "view": "web"})
        return f"{setting_text(settings, 'oauth_url', OAUTH_URL).rstrip('/')}/authorize?{query}"

    async def exchange_code(self, code: str, redirect_uri: str) -> Tokens:
        """taobao.top.auth.token.create (the redirect_uri was fixed by the authorize step)."""
        result = await self._top.call(TOKEN_CREATE, {"code": code}, session=False)
        return self._tokens(result, TOKEN_CREATE)

    async def refresh_tokens(self) -> Tokens:
        """taobao.top.auth.token.refresh. Only service-market apps get a refresh token; other
        app types hold a fixed-lifetime session and must authorize again."""
        refresh = self._ctx.secrets.get("refresh_token")
        if not refresh:
            raise AuthExpired("this shop has no Taobao refresh token (only 服务市场 apps can refresh); authorize again")
        try:
            result = await self._top.call(TOKEN_REFRESH, {"refresh_token": refresh}, session=False)
        except Rejected as exc:
            raise AuthExpired(f"Taobao refused the refresh token; authorize again ({exc.reason})") from None
        tokens = self._tokens(result, TOKEN_REFRESH)
        secrets = self._ctx.secrets
        secrets.set("access_token", tokens.access_token)
        if tokens.refresh_token:
            secrets.set("refresh_token", tokens.refresh_token)
        for name, value in tokens.extra.items():
            secrets.set(name, value)
        return tokens

    def _tokens(self, result: dict[str, Any], api: str) -> Tokens:
        raw = result.get("token_result")
        try:
            data = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            raise malformed(f"{api} token_result", "is not JSON") from None
        r = Record(data, f"{api} token_result")
        now = self._ctx.clock()

        def after(key: str) -> datetime | None:
            if not r.has(key):
                return None
            seconds = r.ident(key)
            if not seconds.isdigit():
                raise malformed(r.what, f"field {key!r} is not a number of seconds: {seconds!r}")
            return now + timedelta(seconds=int(seconds)) if int(seconds) else None

        # [recollection] the legacy token reply URL-encodes nicks; unquote is a no-op otherwise.
        extra = {k: unquote(r.ident(k)) for k in _TOKEN_EXTRAS if r.has(k)}
        return Tokens(
            access_token=r.text("access_token"),
            refresh_token=r.opt_text("refresh_token"),
            expires_at=after("expires_in"),
            refresh_expires_at=after("re_expires_in"),
            extra=extra,
        )

