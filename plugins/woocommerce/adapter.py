"""The WooCommerce adapter: order feed, order webhooks as push, and private order notes as the
seller memo.

Settings (per shop): ``base_url`` (the shop's https:// site address), ``page_size``,
``history_days``, ``order_overlap_seconds``, ``auth_in_query``. Credentials (keyring):
``consumer_key``, ``consumer_secret`` (a REST API key with read/write permission) and, for push,
``webhook_secret`` (the secret of the shop's order webhooks; optional).

Push (research/platform-apis.md §7): the user points WooCommerce webhooks (topics order.created,
order.updated, order.deleted; API version WP REST API v3) at the shop's SeatDesk webhook URL.
`push()` answers and reads those deliveries (desktop.sdk.push); without a public URL or a
webhook secret it raises PushUnavailable and the shop is polled.

WooCommerce has no seller flags and no chat API; its order notes are append-only, so the
seller memo is the latest private note a person wrote. Stateless translation only: no retries,
sleeps or persistence here (the engine owns them).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncGenerator
from typing import Any, ClassVar

from desktop.sdk import (
    AdapterContext,
    AdapterError,
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
    Transfer,
)
from desktop.sdk.push import WebhookDelivery
from desktop.sdk.settings import setting_int

from .client import WooClient
from .feed import OrderCursor, OutOfWindow, check_in_window, page_has_more
from .mapping import fingerprint, latest_memo, malformed, order_event, order_ident, same_note, total_pages
from .protocol import MEMO_MAX_CHARS, NOTE_TYPE_INTERNAL, ORDERS, PER_PAGE_MAX
from .webhooks import (
    EVENT_HEADER,
    ID_HEADER,
    ORDER_BODY_TOPICS,
    ORDER_DELETED,
    RESOURCE_HEADER,
    SIGNATURE_HEADER,
    SOURCE_HEADER,
    TOPIC_HEADER,
    deleted_order_id,
    from_site,
    order_body,
    ping_webhook_id,
    topic_of,
    verify_webhook,
)

PAGE_SIZE_DEFAULT = 50  # each order of a page costs one more call (its notes): keep pages moderate
NOTE_READS_AT_ONCE = 4  # notes read in parallel for one page; small, shared hosting is common

_SETTINGS = (
    SettingField("base_url", "店铺网址", "",
                 "The shop's site address, e.g. https://shop.example.com (https only; the REST API "
                 "is read below /wp-json/wc/v3)."),
    SettingField("page_size", "每页订单数", PAGE_SIZE_DEFAULT, "Orders per list request, 1..100."),
    SettingField("history_days", "首次同步天数", 30, "How many days of modified orders the first sync reads, 1..365."),
    SettingField("order_overlap_seconds", "订单回看秒数", 300,
                 "Each poll re-reads this many seconds before now, for orders saved late or a "
                 "site clock that is off; unchanged orders are not reported twice. 0..3600."),
    SettingField("auth_in_query", "密钥放在查询参数中", False,
                 "Send the key as ?consumer_key=&consumer_secret= instead of HTTP Basic, for "
                 "servers that drop the Authorization header."),
)
_CREDENTIALS = (
    CredentialField("consumer_key", "Consumer key",
                    help="ck_… from WooCommerce → Settings → Advanced → REST API (read/write)."),
    CredentialField("consumer_secret", "Consumer secret", help="cs_… shown once with the key."),
    CredentialField("webhook_secret", "Webhook 密钥（可选）", required=False,
                    help="Optional, for push: the Secret of the order webhooks in WooCommerce → Settings → "
                         "Advanced → Webhooks (topics Order created / updated / deleted, API version "
                         "WP REST API Integration v3, delivery URL = this shop's SeatDesk webhook URL). "
                         "Left empty, orders are polled."),
)
NO_PUBLIC_URL = "未配置 Webhook 公网地址，订单按轮询同步 (no public webhook URL: orders are polled)"
NO_WEBHOOK_SECRET = "未填写 Webhook 密钥，订单按轮询同步 (webhook secret not set: orders are polled)"
_NO_CHAT = "WooCommerce has no buyer chat, so {what} is not offered by this platform's open API"


class WooCommerceAdapter:
    """One WooCommerce shop (a WordPress site) over the REST API v3."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="woocommerce",
        display_name="WooCommerce",
        api_versions=(1,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS, Capability.PUSH}),
        push_by_webhook=True,  # the user registers the shop's SeatDesk webhook URL
        credential_fields=_CREDENTIALS,
        flags=(),  # [SPEC] §8: order notes only, no flags or colours
        memo_max_chars=MEMO_MAX_CHARS,  # [UNVERIFIED] conservative: the spec gives no limit
        color="#7f54b3",
        settings=_SETTINGS,
        limits_note=("可同步订单（配置 Webhook 公网地址和密钥后订单变化即时推送，否则轮询），"
                     "备注写成不通知顾客的私密订单备注（只追加，不能清空）；"
                     "WooCommerce 没有旗标，开放接口也不提供客服聊天；店铺网址须为 https。"),
    )

    def __init__(self, ctx: AdapterContext) -> None:
        self._ctx = ctx
        self._client = WooClient(ctx)

    def _now(self) -> int:
        return math.floor(self._ctx.clock().timestamp())

    def _setting(self, name: str, default: int, low: int, high: int) -> int:
        return setting_int(self._ctx.settings, name, default, low, high)

    # -- connection --------------------------------------------------------------------------------
    async def check_connection(self) -> None:
        """The cheapest authenticated call: one order."""
        await self._client.request("GET", ORDERS, "order list", params={"per_page": "1"})

    # -- orders [SPEC] GET /orders ----------------------------------------------------------------------
    async def fetch_orders(self, cursor: str | None) -> Page[OrderEvent]:
        per_page = self._setting("page_size", PAGE_SIZE_DEFAULT, 1, PER_PAGE_MAX)
        overlap = self._setting("order_overlap_seconds", 300, 0, 3600)
        now = self._now()
        at = (OrderCursor.load(cursor) if cursor
              else OrderCursor.initial(now, self._setting("history_days", 30, 1, 365) * 86400))
        records, headers = await self._client.request("GET", ORDERS, "order list", params=at.query(per_page))
        if not isinstance(records, list):
            raise malformed("order list", f"is {type(records).__name__}, not an array")
        listed = []
        fresh: list[tuple[str, Any]] = []
        for index, record in enumerate(records):
            order_id, modified = order_ident(record, index)
            digest = fingerprint(record)
            listed.append((order_id, digest, modified))
            if at.is_new(order_id, digest):
                fresh.append((order_id, record))
        try:
            check_in_window(at, listed)
        except OutOfWindow as exc:
            raise Rejected(f"this WooCommerce ignores the modified_after filter ({exc}); "
                           "update WooCommerce to a version whose REST API has it") from None
        memos = await self._memos([order_id for order_id, _ in fresh])
        events = tuple(order_event(record, memos[order_id]) for order_id, record in fresh)
        more = page_has_more(total_pages(headers, "order list"), len(records), per_page)
        following, has_more = at.advance(listed, more, now, overlap)
        return Page(events, following.dump(), has_more=has_more)

    async def _memos(self, order_ids: list[str]) -> dict[str, str]:
        """The seller memo of each order: notes are not part of the order object."""
        gate = asyncio.Semaphore(NOTE_READS_AT_ONCE)

        async def one(order_id: str) -> str:
            async with gate:
                return await self._memo(order_id)
        found = await asyncio.gather(*(one(order_id) for order_id in order_ids))
        return dict(zip(order_ids, found, strict=True))

    async def _memo(self, order_id: str) -> str:
        notes, _ = await self._client.request("GET", f"{ORDERS}/{_order_path(order_id)}/notes",
                                              "order notes", params={"type": NOTE_TYPE_INTERNAL})
        return latest_memo(notes, order_id)

    # -- remarks [SPEC] POST /orders/{id}/notes ------------------------------------------------------------
    async def set_remark(self, cmd: SetRemark) -> None:
        """Append a PRIVATE note (customer_note false: WooCommerce neither shows nor e-mails it to the
        buyer; this adapter never sends a customer note).

        Idempotency: notes are append-only, so a replayed command must not add a second copy. The
        latest private note is read first and nothing is posted when it already says the text.
        The key is not written into the note: the note stays exactly what the agent wrote, and
        "set the memo to X" when the memo is X is a no-op anyway, whoever's key it was."""
        if cmd.flag is not None:
            raise Rejected(f"WooCommerce orders have no flags (got flag {cmd.flag!r})")
        if not cmd.text.strip():
            raise Rejected("WooCommerce order notes cannot be empty, and a note cannot be cleared "
                           "(notes are append-only)")
        problem = self.info.memo_problem(cmd.text)
        if problem is not None:
            raise Rejected(f"WooCommerce order note too long: {problem}")
        order = _order_path(cmd.platform_order_id)
        if same_note(await self._memo(order), cmd.text):
            return  # already there: a retry of a note that was saved
        note, _ = await self._client.request("POST", f"{ORDERS}/{order}/notes", "order note", body={
            "note": cmd.text,
            "customer_note": False,  # NEVER true: true makes WooCommerce e-mail the buyer
            "added_by_user": True,  # attributed to the key's user, not to "system"
        })
        if not isinstance(note, dict):
            raise malformed(f"note reply of order {order}", "is not an object")  # a retry reads first
        if note.get("customer_note") is not False:
            self._ctx.logger.error("WooCommerce saved the note on order %s as a customer note", order)
            raise Rejected(f"WooCommerce did not keep the note on order {order} private")

    # -- push [SPEC] §7 webhooks ---------------------------------------------------------------------------
    async def push(self) -> AsyncGenerator[Event, None]:
        """The shop's order webhooks as they arrive (research/platform-apis.md §7, desktop.sdk.push).

        Each delivery is answered as soon as it is read (WooCommerce never sends a delivery again,
        so there is nothing to hold back), then its order is yielded. A follow-up call that fails
        is logged and left to the next pull; only a refused REST key (AuthExpired) ends the stream."""
        hooks = self._ctx.webhooks
        if hooks is None:
            raise PushUnavailable(NO_PUBLIC_URL)
        # WordPress trims a saved secret (sanitize_text_field); so is a pasted one here
        secret = (self._ctx.secrets.get("webhook_secret") or "").strip()
        if not secret:
            raise PushUnavailable(NO_WEBHOOK_SECRET)
        async for delivery in hooks:
            event = await self._delivered(delivery, secret)
            if event is not None:
                yield event

    async def _delivered(self, delivery: WebhookDelivery, secret: str) -> OrderEvent | None:
        """Answer one delivery; the order it stands for, or None."""
        log = self._ctx.logger
        signature = delivery.header(SIGNATURE_HEADER)
        if not signature and ping_webhook_id(delivery.body) is not None:
            delivery.reply(200)  # [SPEC] the creation ping: WooCommerce keeps the webhook only on 200
            log.info("WooCommerce webhook %s created: its ping was answered", ping_webhook_id(delivery.body))
            return None
        if not verify_webhook(delivery.body, signature, secret):
            delivery.reply(401, b"signature does not match")
            log.warning("WooCommerce webhook delivery refused: its signature does not match the webhook "
                        "secret (webhook id %r)", delivery.header(ID_HEADER)[:20])
            return None
        delivery.reply(200)
        topic = topic_of(delivery.header(TOPIC_HEADER), delivery.header(RESOURCE_HEADER),
                         delivery.header(EVENT_HEADER))
        if topic not in ORDER_BODY_TOPICS and topic != ORDER_DELETED:
            log.debug("WooCommerce webhook topic %r ignored", topic[:60])
            return None
        base_url = self._ctx.settings.get("base_url")
        if not from_site(delivery.header(SOURCE_HEADER), base_url if isinstance(base_url, str) else ""):
            # the same secret on another site (a staging copy): its orders are not this shop's
            log.warning("WooCommerce %s from another site (%r) ignored", topic, delivery.header(SOURCE_HEADER)[:200])
            return None
        try:
            return await self._pushed_order(topic, delivery.body)
        except AuthExpired:
            raise
        except AdapterError as exc:  # malformed, site down, rate limited, gone: the pulls stay the truth
            log.warning("WooCommerce %s not taken: %s", topic, exc)
            return None

    async def _pushed_order(self, topic: str, body: bytes) -> OrderEvent:
        """The OrderEvent of a verified order delivery.

        created / updated / restored carry the order as the REST API renders it, the shape the feed
        maps; only its notes (the memo) are read. deleted carries only the id: the order is read
        again, because deleted means moved to the trash [CORE], and a trashed order (status trash,
        closed) is one the feed never lists (its status filter `any` leaves the trash out). An order
        deleted for good answers 404: there is nothing left to report."""
        try:
            record = order_body(body) if topic in ORDER_BODY_TOPICS else None
            gone = deleted_order_id(body) if record is None else ""
        except ValueError as exc:
            raise malformed(f"{topic} delivery", str(exc)) from None
        if record is None:
            # a Rejected 404 here is an order deleted for good: logged, it stays as last synced
            record, _ = await self._client.request("GET", f"{ORDERS}/{_order_path(gone)}", "order")
        order_id, _ = order_ident(record, 0)
        return order_event(record, await self._memo(order_id))

    # -- not offered [SPEC] §9 -----------------------------------------------------------------------------
    async def fetch_messages(self, cursor: str | None) -> Page[MessageEvent]:
        return Page((), cursor, has_more=False)

    async def send_message(self, cmd: SendMessage) -> str:
        raise Rejected(_NO_CHAT.format(what="sending chat messages"))

    async def transfer(self, cmd: Transfer) -> None:
        raise Rejected(_NO_CHAT.format(what="chat transfer"))


def _order_path(order_id: str) -> str:
    """WooCommerce order ids are positive integers; anything else must not reach a URL path."""
    text = order_id.strip()
    if not text.isdigit() or int(text) <= 0:
        raise Rejected(f"not a WooCommerce order id: {order_id!r}")
    return str(int(text))
