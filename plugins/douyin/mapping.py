"""Pure translation of Doudian shop orders (order.searchList / order.orderDetail) into OrderEvents.

Field meanings: research §4.5 and the official Go SDK response structs
(`order_searchList_response.go`, `order_orderDetail_response.go`). Every field an
event needs is checked for presence and type; anything wrong raises `Temporary`
naming the order and the field, so a broken page is never half-ingested.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from desktop.sdk import OrderEvent, OrderItem, OrderStatus, Temporary

from .protocol import STAR_MAX, STAR_MIN

CST = timezone(timedelta(hours=8), "CST")  # the platform's local time, for display
CURRENCY = "CNY"

# order_status (shop order): 1 待确认/待支付, 105 已支付, 2 备货中, 101 部分发货,
# 3 已发货（全部发货）, 4 已取消, 5 已完成（已收货）.
STATUS: dict[int, OrderStatus] = {
    1: OrderStatus.UNPAID,
    105: OrderStatus.PAID,
    2: OrderStatus.PAID,
    101: OrderStatus.SHIPPED,  # part of it is on its way: the buyer is now waiting for parcels
    3: OrderStatus.SHIPPED,
    4: OrderStatus.CLOSED,
    5: OrderStatus.COMPLETED,
}
STATUS_NAMES = {1: "待支付", 105: "已支付", 2: "备货中", 101: "部分发货", 3: "已发货", 4: "已取消", 5: "已完成"}

# sku_order_list[].after_sale_info.after_sale_status
AFTER_SALE_NAMES = {
    6: "售后申请", 7: "售后退货中", 11: "售后已发货", 12: "售后成功", 13: "换货商家发货/补寄待收货",
    14: "换货用户收货/补寄已收货", 27: "拒绝售后申请", 28: "售后失败", 29: "售后退货拒绝",
    51: "订单取消成功", 53: "逆向交易已完成",
}
AFTER_SALE_OPEN = frozenset({6, 7, 11})  # applied, goods on the way back, returned: money still to move
# after_sale_type: 0 退货退款, 1 已发货仅退款, 2 未发货仅退款, 3 换货, 4 系统取消, 5 用户取消, 6 价保, 7 补寄
AFTER_SALE_NO_REFUND_TYPES = frozenset({3, 7})  # exchange and re-send move goods, not money
REFUND_DONE = 3  # after_sale_info.refund_status: 1 待退款, 3 退款成功, 4 退款失败
STARS = frozenset(range(STAR_MIN, STAR_MAX + 1))  # seller_remark_stars: 0 灰 1 紫 2 青 3 绿 4 橙 5 红


def malformed(what: str, problem: str) -> Temporary:
    return Temporary(f"malformed payload from 抖店: {what} {problem}")


class Record:
    """Checked access to one JSON object of the wire."""

    __slots__ = ("data", "what")

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise malformed(what, f"is {type(data).__name__}, not an object")
        self.data: dict[str, Any] = data
        self.what = what

    def _typed(self, key: str, kind: type, label: str, default: Any) -> Any:
        value = self.data.get(key)
        if value is None:
            if default is None:
                raise malformed(self.what, f"is missing {key!r}")
            return default
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise malformed(self.what, f"field {key!r} should be {label}, got {type(value).__name__}")
        return value

    def integer(self, key: str, default: int | None = None) -> int:
        value: int = self._typed(key, int, "an integer", default)
        return value

    def text(self, key: str, default: str | None = None) -> str:
        value: str = self._typed(key, str, "a string", default)
        return value

    def array(self, key: str, default: list[Any] | None = None) -> list[Any]:
        value: list[Any] = self._typed(key, list, "an array", default)
        return value

    def record(self, key: str) -> Record | None:
        value = self.data.get(key)
        return None if value is None else Record(value, f"{self.what} {key}")


def _moment(seconds: int, what: str, key: str) -> datetime:
    if seconds <= 0:
        raise malformed(what, f"field {key!r} is not a time ({seconds})")
    return datetime.fromtimestamp(seconds, CST)


def _optional_moment(seconds: int) -> datetime | None:
    return datetime.fromtimestamp(seconds, CST) if seconds > 0 else None


def fen(amount: int) -> Decimal:
    """分 → 元, exactly: 12990 → Decimal('129.90')."""
    return Decimal(amount).scaleb(-2)


def fingerprint(raw: dict[str, Any]) -> str:
    """A short digest of the order as sent: equal digests = nothing new to report."""
    text = json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def normalize_status(order_status: int, after_sales: list[tuple[int, int, int]]) -> OrderStatus:
    """Shop order status + its sku orders' (after_sale_status, after_sale_type, refund_status).

    An open refund wins (the agent must act); a cancelled order, or one whose every
    item was refunded, is closed; otherwise the shop order status decides. An
    unknown status code falls back to PAID (never blocks the feed); raw_status keeps it.
    """
    if order_status == 4:
        return OrderStatus.CLOSED
    if any(status in AFTER_SALE_OPEN and kind not in AFTER_SALE_NO_REFUND_TYPES for status, kind, _ in after_sales):
        return OrderStatus.REFUNDING
    if after_sales and all(refund == REFUND_DONE for _, _, refund in after_sales):
        return OrderStatus.CLOSED
    return STATUS.get(order_status, OrderStatus.PAID)


def raw_status(order_status: int, desc: str, after_sales: list[tuple[int, int, int]]) -> str:
    text = f"{order_status} {desc or STATUS_NAMES.get(order_status, '')}".strip()
    # the after-sale that matters most: an open one, else the first there is
    shown = next((s for s, _, _ in after_sales if s in AFTER_SALE_OPEN), None)
    if shown is None:
        shown = next((s for s, _, _ in after_sales if s), None)
    if shown is not None:
        text += f" | 售后 {shown} {AFTER_SALE_NAMES.get(shown, '')}".rstrip()
    return text


def _address(addr: Record | None) -> str:
    if addr is None:
        return ""
    parts = []
    for key in ("province", "city", "town", "street"):
        region = addr.record(key)
        if region is not None:
            parts.append(region.text("name", ""))
    parts.append(addr.text("detail", ""))
    return "".join(parts)


def receiver_masked(order: Record) -> str:
    """The receiver exactly as the platform masks it (mask_post_*), never the encrypted fields."""
    parts = (order.text("mask_post_receiver", ""), order.text("mask_post_tel", ""),
             _address(order.record("mask_post_addr")))
    return " ".join(part for part in parts if part)


def _item(sku: Record) -> OrderItem:
    quantity = sku.integer("item_num")
    if quantity <= 0:
        raise malformed(sku.what, f"has item_num {quantity}")
    title = sku.text("product_name")
    specs = [Record(s, f"{sku.what} spec").text("value", "") for s in sku.array("spec", [])]
    if any(specs):
        title += f"（{'；'.join(s for s in specs if s)}）"
    sku_id = sku.data.get("sku_id")
    if isinstance(sku_id, bool) or not isinstance(sku_id, (int, str)):
        raise malformed(sku.what, "lacks an integer or string sku_id")
    return OrderItem(sku_id=str(sku_id), title=title, quantity=quantity, unit_price=fen(sku.integer("origin_amount")))


def map_order(raw: object) -> OrderEvent:
    """One shop order (a `shop_order_list` entry or `shop_order_detail`) → OrderEvent."""
    order = Record(raw, "shop order")
    order_id = order.text("order_id")
    if not order_id:
        raise malformed("shop order", "has an empty order_id")
    order.what = f"shop order {order_id}"
    status_code = order.integer("order_status")
    skus = [Record(s, f"{order.what} sku order {i}") for i, s in enumerate(order.array("sku_order_list"))]
    after_sales = []  # one entry per sku order; (0, 0, 0) when it has no after-sale
    for sku in skus:
        info = sku.record("after_sale_info")
        after_sales.append((0, 0, 0) if info is None else (
            info.integer("after_sale_status", 0), info.integer("after_sale_type", 0), info.integer("refund_status", 0)))
    parcels = [Record(p, f"{order.what} logistics") for p in order.array("logistics_info", [])]
    couriers = [p.text("company_name", "") or p.text("company", "") for p in parcels]
    ship_time = order.integer("ship_time", 0) or min((p.integer("ship_time", 0) for p in parcels), default=0)
    star = order.integer("seller_remark_stars", 0)
    extra = {"order_status": str(status_code), "buyer_words": order.text("buyer_words", ""),
             "post_amount": str(fen(order.integer("post_amount", 0)))}
    if star not in STARS:
        extra["seller_remark_stars"] = str(star)  # unknown colour: kept, not shown as a flag
    return OrderEvent(
        platform_order_id=order_id,
        # doudian_open_id is the buyer's (encrypted) id; `open_id` is a mini-program's, not the buyer's
        buyer_id=order.text("doudian_open_id", ""),
        buyer_nick="",  # the order APIs carry no buyer nickname
        status=normalize_status(status_code, after_sales),
        raw_status=raw_status(status_code, order.text("order_status_desc", ""), after_sales),
        items=tuple(_item(sku) for sku in skus),
        # pay_amount is what the buyer pays (incl. postage, after discounts); an order
        # without it yet falls back to order_amount rather than showing 0.
        total=fen(order.integer("pay_amount") or order.integer("order_amount", 0)),
        currency=CURRENCY,
        created_at=_moment(order.integer("create_time"), order.what, "create_time"),
        updated_at=_moment(order.integer("update_time"), order.what, "update_time"),
        paid_at=_optional_moment(order.integer("pay_time", 0)),
        shipped_at=_optional_moment(ship_time),
        receiver_masked=receiver_masked(order),
        seller_memo=order.text("seller_words", ""),
        seller_flag=star if star in STARS else None,
        courier=",".join(dict.fromkeys(c for c in couriers if c)),  # distinct, in parcel order
        waybill=",".join(w for w in (p.text("tracking_no", "") for p in parcels) if w),
        extra=extra,
    )
