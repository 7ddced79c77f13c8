"""Pure translation of Pinduoduo replies into sdk values, refusing malformed ones.

Every field an event needs is checked for presence and type; anything wrong raises
`Temporary` naming the record and the field, so a broken page is never half-ingested
and the engine simply retries the same cursor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.sdk import (
    FlagColor,
    FlagOption,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Temporary,
    Tokens,
    WarehouseStage,
)

from .protocol import parse_time

CURRENCY = "CNY"  # amounts are yuan (§3.5)
_CENT = Decimal("0.01")

# pdd.order.note.update `tag` / read back as `remark_tag` (§3.6, §8). No 0/grey value.
TAGS: tuple[FlagOption, ...] = (
    FlagOption(1, FlagColor.RED, "红色"),
    FlagOption(2, FlagColor.YELLOW, "黄色"),
    FlagOption(3, FlagColor.GREEN, "绿色"),
    FlagOption(4, FlagColor.BLUE, "蓝色"),
    FlagOption(5, FlagColor.PURPLE, "紫色"),
)
_TAG_VALUES = frozenset(t.value for t in TAGS)

# order_status: the shipping state (§3.5)
ORDER_STATUS: Mapping[int, tuple[str, OrderStatus]] = {
    1: ("待发货", OrderStatus.PAID),
    2: ("已发货待签收", OrderStatus.SHIPPED),
    3: ("已签收", OrderStatus.COMPLETED),
}
# refund_status: the after-sale state, which overrides the shipping state
REFUND_STATUS: Mapping[int, tuple[str, OrderStatus | None]] = {
    1: ("无售后或售后关闭", None),
    2: ("售后处理中", OrderStatus.REFUNDING),
    3: ("退款中", OrderStatus.REFUNDING),
    4: ("退款成功", OrderStatus.CLOSED),
}
CONFIRM_CANCELLED = 2  # confirm_status: 0 未成交, 1 已成交, 2 已取消
GROUP_FAILED = 2  # group_status: 0 拼团中, 1 已成团, 2 团失败


def malformed(what: str, problem: str) -> Temporary:
    return Temporary(f"malformed payload from 拼多多: {what} {problem}")


class Record:
    """Typed, checked access to one JSON object of a reply."""

    __slots__ = ("data", "what")

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise malformed(what, f"is {type(data).__name__}, not an object")
        self.data: dict[str, Any] = data
        self.what = what

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise malformed(self.what, f"lacks {key!r}")
        return self.data[key]

    def _wrong(self, key: str, label: str, value: object) -> Temporary:
        return malformed(self.what, f"field {key!r} should be {label}, got {value!r}")

    def text(self, key: str, *, empty: bool = False) -> str:
        value = self._get(key)
        if not isinstance(value, str) or (not empty and not value):
            raise self._wrong(key, "a non-empty string" if not empty else "a string", value)
        return value

    def opt_text(self, key: str) -> str:
        """A string field that may be absent or null (→ "")."""
        value = self.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._wrong(key, "a string", value)
        return value

    def integer(self, key: str) -> int:
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._wrong(key, "an integer", value)
        return value

    def opt_integer(self, key: str) -> int | None:
        return None if self.data.get(key) is None else self.integer(key)

    def identifier(self, key: str) -> str:
        """An id the platform sends as a number (long) or a string."""
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
            raise self._wrong(key, "an id", value)
        return str(value)

    def money(self, key: str) -> Decimal:
        """Yuan, as a JSON number (parsed exactly: replies are read with Decimal floats)."""
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            raise self._wrong(key, "an amount in yuan", value)
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise self._wrong(key, "an amount in yuan", value) from None
        if not amount.is_finite() or amount < 0:
            raise self._wrong(key, "a non-negative amount in yuan", value)
        return amount.quantize(_CENT)

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            return parse_time(value)
        except ValueError:
            raise self._wrong(key, "a yyyy-MM-dd HH:mm:ss time", value) from None

    def opt_time(self, key: str) -> datetime | None:
        return None if not self.opt_text(key) else self.time(key)

    def array(self, key: str) -> list[Any]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self._wrong(key, "an array", value)
        return value

    def obj(self, key: str) -> Record:
        return Record(self._get(key), f"{self.what} {key}")


def normalize_status(order_status: int, refund_status: int, confirm_status: int | None,
                     group_status: int | None) -> OrderStatus:
    """The shipping state, overridden by cancellation and by the after-sale state."""
    if confirm_status == CONFIRM_CANCELLED or group_status == GROUP_FAILED:
        return OrderStatus.CLOSED
    after_sale = REFUND_STATUS[refund_status][1]
    return after_sale if after_sale is not None else ORDER_STATUS[order_status][1]


def raw_status(order_status: int, refund_status: int, confirm_status: int | None,
               group_status: int | None) -> str:
    """The platform's own words, with their codes: e.g. "已签收(3)·退款中(3)"."""
    parts = [f"{ORDER_STATUS[order_status][0]}({order_status})"]
    if refund_status != 1:
        parts.append(f"{REFUND_STATUS[refund_status][0]}({refund_status})")
    if confirm_status == CONFIRM_CANCELLED:
        parts.append("已取消")
    if group_status == GROUP_FAILED:
        parts.append("团失败")
    return "·".join(parts)


def _item(data: object, what: str) -> OrderItem:
    rec = Record(data, what)
    quantity = rec.integer("goods_count")
    if quantity <= 0:
        raise malformed(what, f"has goods_count {quantity}")
    title = rec.text("goods_name")
    spec = rec.opt_text("goods_spec")
    sku = rec.data.get("sku_id")
    return OrderItem(
        sku_id=rec.identifier("sku_id") if sku not in (None, "") else rec.identifier("goods_id"),
        title=f"{title}（{spec}）" if spec else title,
        quantity=quantity,
        unit_price=rec.money("goods_price"),
    )


def _receiver(rec: Record) -> str:
    """Masked name, phone and address exactly as the platform masks them."""
    address = rec.opt_text("address_mask")
    if not address:
        region = "".join(rec.opt_text(k) for k in ("province", "city", "town"))
        address = region + rec.opt_text("receiver_address_mask")
    parts = (rec.opt_text("receiver_name_mask"), rec.opt_text("receiver_phone_mask"), address)
    return " ".join(p for p in parts if p)


def has_details(data: object) -> bool:
    """Whether an increment record carries what an OrderEvent needs (the spec says it
    holds full order objects; a slim one is completed with pdd.order.information.get)."""
    return isinstance(data, dict) and "item_list" in data and "pay_amount" in data


def order_sn(data: object, what: str = "order") -> str:
    return Record(data, what).text("order_sn")


def updated_at(data: object, what: str = "order") -> datetime:
    return Record(data, what).time("updated_at")


def order_event(data: object, what: str = "order") -> OrderEvent:
    """One order object (increment `order_sn_list[]` or detail `order_info`) → OrderEvent."""
    rec = Record(data, what)
    sn = rec.text("order_sn")
    what = f"{what} {sn}"
    rec.what = what
    order_status, refund_status = rec.integer("order_status"), rec.integer("refund_status")
    if order_status not in ORDER_STATUS:
        raise malformed(what, f"has an unknown order_status {order_status}")
    if refund_status not in REFUND_STATUS:
        raise malformed(what, f"has an unknown refund_status {refund_status}")
    confirm, group = rec.opt_integer("confirm_status"), rec.opt_integer("group_status")
    tag = rec.opt_integer("remark_tag")
    extra = {
        "order_status": str(order_status),
        "refund_status": str(refund_status),
        "buyer_id_synthetic": "true",  # no buyer identifier in the order model (§3.5)
    }
    for key in ("after_sales_status", "confirm_status", "group_status", "risk_control_status"):
        if isinstance(rec.data.get(key), int):
            extra[key] = str(rec.data[key])
    for key in ("buyer_memo", "remark_tag_name", "last_ship_time"):
        if rec.opt_text(key):
            extra[key] = rec.opt_text(key)
    if tag is not None and tag not in _TAG_VALUES and tag != 0:
        extra["remark_tag"] = str(tag)  # a colour we do not know yet: kept, not shown
    items = tuple(_item(entry, f"{what} item_list[{i}]") for i, entry in enumerate(rec.array("item_list")))
    return OrderEvent(
        platform_order_id=sn,
        # Pinduoduo exposes no buyer identifier to merchants: every order stands for its
        # own (anonymous) buyer, so unrelated buyers are never merged.
        buyer_id=f"order:{sn}",
        buyer_nick=rec.opt_text("receiver_name_mask") or "拼多多买家",
        status=normalize_status(order_status, refund_status, confirm, group),
        raw_status=raw_status(order_status, refund_status, confirm, group),
        items=items,
        total=rec.money("pay_amount"),
        currency=CURRENCY,
        created_at=rec.time("created_time"),
        updated_at=rec.time("updated_at"),
        paid_at=rec.opt_time("pay_time"),
        shipped_at=rec.opt_time("shipping_time"),
        receiver_masked=_receiver(rec),
        seller_memo=rec.opt_text("remark"),
        seller_flag=tag if tag in _TAG_VALUES else None,
        waybill=rec.opt_text("tracking_number"),
        warehouse=WarehouseStage.UNKNOWN,  # the order APIs report no print/pack stage
        extra=extra,
    )


@dataclass(frozen=True, slots=True)
class IncrementPage:
    total_count: int | None
    has_next: bool | None
    orders: list[Any]


def increment_page(reply: object) -> IncrementPage:
    rec = Record(reply, "order_sn_increment_get_response")
    total = rec.data.get("total_count")
    has_next = rec.data.get("has_next")
    if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
        raise malformed(rec.what, f"has total_count {total!r}")
    if has_next is not None and not isinstance(has_next, bool):
        raise malformed(rec.what, f"has has_next {has_next!r}")
    orders = rec.array("order_sn_list") if rec.data.get("order_sn_list") is not None else []
    return IncrementPage(total, has_next, orders)


def detail_order(reply: object) -> dict[str, Any]:
    return Record(reply, "order_info_get_response").obj("order_info").data


def note_result(reply: object) -> str | None:
    """None when the note was saved, else the platform's reason."""
    rec = Record(reply, "pdd.order.note.update response")
    success = rec.data.get("success")
    if success is True:
        return None
    if success is not False:
        raise malformed(rec.what, f"has success {success!r}")
    code, message = rec.data.get("error_code"), rec.data.get("error_msg")
    return f"拼多多拒绝了备注 ({code}): {message or '无说明'}"


def _moment(rec: Record, at_key: str, in_key: str, now: datetime) -> datetime | None:
    """An absolute expiry (Unix seconds; milliseconds tolerated) or else now + seconds."""
    at, seconds = rec.data.get(at_key), rec.data.get(in_key)
    if isinstance(at, int) and not isinstance(at, bool) and at > 0:
        return datetime.fromtimestamp(at / 1000 if at > 10**11 else at, now.tzinfo)
    if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
        return now + timedelta(seconds=seconds)
    return None


def tokens(reply: object, key: str, now: datetime) -> Tokens:
    """pop_auth_token_create_response / pop_auth_token_refresh_response → Tokens."""
    rec = Record(reply, key)
    extra = {}
    owner = rec.data.get("owner_id")
    if isinstance(owner, (str, int)) and not isinstance(owner, bool) and owner != "":
        extra["owner_id"] = str(owner)
    if rec.opt_text("owner_name"):
        extra["owner_name"] = rec.opt_text("owner_name")
    return Tokens(
        access_token=rec.text("access_token"),
        refresh_token=rec.opt_text("refresh_token"),
        expires_at=_moment(rec, "expires_at", "expires_in", now),
        refresh_expires_at=_moment(rec, "refresh_token_expires_at", "refresh_token_expires_in", now),
        extra=extra,
    )


def permit_granted(reply: object) -> bool:
    """pdd.pmc.user.permit's ``is_success`` (§3.2, §3.7; PDD-NET PermitPmcUserResponse.cs)."""
    rec = Record(reply, "pmc_user_permit_response")
    success = rec.data.get("is_success")
    if not isinstance(success, bool):
        raise malformed(rec.what, f"has is_success {success!r}")
    return success
