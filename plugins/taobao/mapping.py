"""Pure translation of TOP trade records (taobao.trade.fullinfo.get) into sdk OrderEvents.

A field the event needs that is missing or of the wrong type raises `Temporary`
naming the trade and the field, so a broken page is never half-ingested and the
engine retries the same cursor. TOP wraps arrays in an object named after the
element type (`"orders": {"order": [...]}`); both that and a plain array are read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.sdk import OrderEvent, OrderItem, OrderStatus

from .envelope import malformed
from .protocol import FLAG_VALUES, REFUND_ACTIVE, REFUND_NONE, REFUND_OVER, parse_time

STATUS: Mapping[str, OrderStatus] = {
    "TRADE_NO_CREATE_PAY": OrderStatus.UNPAID,
    "WAIT_BUYER_PAY": OrderStatus.UNPAID,
    "PAY_PENDING": OrderStatus.UNPAID,  # a foreign card payment not confirmed yet
    "WAIT_PRE_AUTH_CONFIRM": OrderStatus.UNPAID,  # 0-yuan contract, nothing paid
    "WAIT_SELLER_SEND_GOODS": OrderStatus.PAID,
    "PAID_FORBID_CONSIGN": OrderStatus.PAID,  # paid, shipping held (group buy …)
    "SELLER_CONSIGNED_PART": OrderStatus.SHIPPED,  # part on its way: logistics questions start
    "WAIT_BUYER_CONFIRM_GOODS": OrderStatus.SHIPPED,
    "TRADE_BUYER_SIGNED": OrderStatus.COMPLETED,  # COD: signed for and paid at the door
    "TRADE_FINISHED": OrderStatus.COMPLETED,
    "TRADE_CLOSED": OrderStatus.CLOSED,
    "TRADE_CLOSED_BY_TAOBAO": OrderStatus.CLOSED,
}
_REFUND_KNOWN = frozenset(REFUND_ACTIVE + REFUND_OVER + REFUND_NONE)

# The fields taobao.trade.fullinfo.get is asked for: everything the event is built from.
FULLINFO_FIELDS = ",".join(
    (
        "tid", "tid_str", "status", "buyer_open_uid", "buyer_nick", "payment", "total_fee", "post_fee",
        "created", "modified", "pay_time", "consign_time", "end_time", "seller_memo", "seller_flag", "sid",
        "receiver_name", "receiver_mobile", "receiver_phone", "receiver_state", "receiver_city",
        "receiver_district", "receiver_town", "receiver_address", "orders",
    )
)


class Record:
    """Typed, checked access to one JSON object of a TOP reply."""

    __slots__ = ("_data", "what")

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise malformed(what, f"is {type(data).__name__}, not an object")
        self._data: dict[str, Any] = data
        self.what = what

    def has(self, key: str) -> bool:
        return self._data.get(key) not in (None, "")

    def _get(self, key: str, types: tuple[type, ...], label: str) -> Any:
        if key not in self._data or self._data[key] is None:
            raise malformed(self.what, f"lacks {key!r}")
        value = self._data[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise malformed(self.what, f"field {key!r} should be {label}, got {type(value).__name__}")
        return value

    def text(self, key: str) -> str:
        value: str = self._get(key, (str,), "a string")
        return value

    def opt_text(self, key: str) -> str:
        """A string that may be absent or null ("" then)."""
        return self.text(key) if self.has(key) else ""

    def boolean(self, key: str) -> bool:
        value: bool = self._get(key, (bool,), "true or false")
        return value

    def obj(self, key: str) -> Record:
        return Record(self._get(key, (dict,), "an object"), f"{self.what} {key}")

    def integer(self, key: str) -> int:
        value: int = self._get(key, (int,), "an integer")
        return value

    def ident(self, key: str) -> str:
        """A TOP id: a JSON number (tid, num_iid) or a digit string (tid_str, sku_id)."""
        value = self._get(key, (int, str), "a number")
        text = str(value)
        if not text:
            raise malformed(self.what, f"field {key!r} is empty")
        return text

    def time(self, key: str) -> datetime:
        text = self.text(key)
        try:
            return parse_time(text)
        except ValueError:
            raise malformed(self.what, f"field {key!r} is not yyyy-MM-dd HH:mm:ss: {text!r}") from None

    def opt_time(self, key: str) -> datetime | None:
        return self.time(key) if self.has(key) else None

    def yuan(self, key: str) -> Decimal:
        text = self.text(key)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise malformed(self.what, f"field {key!r} is not an amount in yuan: {text!r}") from None
        if not value.is_finite() or value < 0:
            raise malformed(self.what, f"field {key!r} is not an amount in yuan: {text!r}")
        return value

    def listed(self, key: str, element: str) -> list[Any]:
        """A TOP array: absent/empty → [], `[...]`, or `{"<element>": [...]}`."""
        value = self._data.get(key)
        if value is None or value == {} or value == "":
            return []
        if isinstance(value, dict):
            value = value.get(element, [])
        if not isinstance(value, list):
            raise malformed(self.what, f"field {key!r} should be an array of {element}, got {type(value).__name__}")
        return value


def trades_of(result: Record) -> list[Any]:
    """The trades of a taobao.trades.sold.increment.get reply (none when the window is empty)."""
    return result.listed("trades", "trade")


def fingerprint(trade: object) -> str:
    """A short digest of a trade record as reported, to tell an unchanged re-read from a change."""
    text = json.dumps(trade, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _items(r: Record) -> tuple[list[OrderItem], list[str], str, str]:
    """Items, sub-order refund statuses, and the first courier / waybill of the sub-orders."""
    items: list[OrderItem] = []
    refunds: list[str] = []
    courier = waybill = ""
    for i, entry in enumerate(r.listed("orders", "order")):
        o = Record(entry, f"{r.what} order {i}")
        quantity = o.integer("num")
        if quantity <= 0:
            raise malformed(o.what, f"has quantity {quantity}")
        sku = o.ident("sku_id") if o.has("sku_id") else o.ident("num_iid")
        items.append(OrderItem(sku_id=sku, title=o.text("title"), quantity=quantity, unit_price=o.yuan("price")))
        refund = o.opt_text("refund_status")
        if refund not in _REFUND_KNOWN:
            raise malformed(o.what, f"has unknown refund_status {refund!r}")
        refunds.append(refund)
        courier = courier or o.opt_text("logistics_company")
        waybill = waybill or o.opt_text("invoice_no")
    return items, refunds, courier, waybill


def _receiver(r: Record) -> str:
    """Name, phone and address exactly as TOP masks them (never unmasked here)."""
    region = "".join(r.opt_text(k) for k in ("receiver_state", "receiver_city", "receiver_district", "receiver_town"))
    phone = r.opt_text("receiver_mobile") or r.opt_text("receiver_phone")
    parts = (r.opt_text("receiver_name"), phone, region, r.opt_text("receiver_address"))
    return " ".join(part for part in parts if part)


def trade_event(data: object, what: str = "trade") -> OrderEvent:
    """One fullinfo `trade` → OrderEvent (status normalized, refunds folded in, money in CNY)."""
    r = Record(data, what)
    order_id = r.ident("tid_str") if r.has("tid_str") else r.ident("tid")
    r.what = f"{what} {order_id}"
    raw = r.text("status")
    if raw not in STATUS:
        raise malformed(r.what, f"has unknown status {raw!r}")
    items, refunds, courier, waybill = _items(r)
    active = next((x for x in refunds if x in REFUND_ACTIVE), "")
    status = STATUS[raw]
    extra: dict[str, str] = {}
    if any(refunds):
        extra["refund_status"] = ",".join(x or "NO_REFUND" for x in refunds)
    if active and status is not OrderStatus.CLOSED:
        status = OrderStatus.REFUNDING
    flag: int | None = None
    if r.has("seller_flag"):
        value = r.integer("seller_flag")
        if value in FLAG_VALUES:
            flag = value
        else:  # a colour newer than the spec's palette: keep it visible, do not wedge the feed
            extra["seller_flag_raw"] = str(value)
    buyer_id = r.opt_text("buyer_open_uid") or r.opt_text("buyer_nick")
    if not buyer_id:
        raise malformed(r.what, "has neither 'buyer_open_uid' nor 'buyer_nick'")
    return OrderEvent(
        platform_order_id=order_id,
        buyer_id=buyer_id,
        buyer_nick=r.opt_text("buyer_nick"),
        status=status,
        raw_status=f"{raw}/{active}" if status is OrderStatus.REFUNDING else raw,
        items=tuple(items),
        total=r.yuan("payment"),
        currency="CNY",
        created_at=r.time("created"),
        updated_at=r.time("modified"),
        paid_at=r.opt_time("pay_time"),
        shipped_at=r.opt_time("consign_time"),
        receiver_masked=_receiver(r),
        seller_memo=r.opt_text("seller_memo"),
        seller_flag=flag,
        courier=courier,
        waybill=waybill or r.opt_text("sid"),
        extra=extra,
    )
