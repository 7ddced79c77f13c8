"""The WooCommerce adapter: order feed and private order notes as the seller memo.

Settings (per shop): ``base_url`` (the shop's https:// site address), ``page_size``,
``history_days``, ``order_overlap_seconds``, ``auth_in_query``. Credentials (keyring):
``consumer_key``, ``consumer_secret`` (a REST API key with read/write permission).

WooCommerce has no seller flags and no chat API; its order notes are append-only, so the
seller memo is the latest private note a person wrote. Stateless translation only: no retries,
sleeps or persistence here (the engine owns them).
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, ClassVar

from desktop.sdk import (
    AdapterContext,
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
    Transfer,
)
from desktop.sdk.settings import setting_int

from .client import WooClient
from .feed import OrderCursor, OutOfWindow, check_in_window, page_has_more
from .mapping import fingerprint, latest_memo, malformed, order_event, order_ident, same_note, total_pages
from .protocol import MEMO_MAX_CHARS, NOTE_TYPE_INTERNAL, ORDERS, PER_PAGE_MAX

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
)
_NO_CHAT = "WooCommerce has no buyer chat, so {what} is not offered by this platform's open API"


class WooCommerceAdapter:
    """One WooCommerce shop (a WordPress site) over the REST API v3."""

    info: ClassVar[PlatformInfo] = PlatformInfo(
        platform_id="woocommerce",
        display_name="WooCommerce",
        api_versions=(1,),
        capabilities=frozenset({Capability.ORDERS, Capability.REMARKS}),
        credential_fields=_CREDENTIALS,
        flags=(),  # [SPEC] §8: order notes only, no flags or colours
        memo_max_chars=MEMO_MAX_CHARS,  # [UNVERIFIED] conservative: the spec gives no limit
        color="#7f54b3",
        settings=_SETTINGS,
        limits_note=("可同步订单，备注写成不通知顾客的私密订单备注（只追加，不能清空）；"
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
