"""Pure translation of sandbox wire records into sdk events, refusing malformed ones.

Every field a record must carry is checked for presence and type; anything
wrong raises `Temporary` naming the record and the field, so a broken page is
never half-ingested and the engine simply retries the same cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.sdk import (
    Direction,
    Event,
    MessageEvent,
    MessageKind,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Page,
    Temporary,
    WarehouseStage,
)

from .protocol import (
    DY_AFTER_SALE,
    DY_AFTER_SALE_ACTIVE,
    DY_ORDER_STATUS,
    PLATFORM_DY,
    PLATFORM_TB,
    TB_REFUND_ACTIVE,
    TB_REFUND_NONE,
    TB_REFUND_STATUSES,
    parse_tb_time,
)

OrderMapper = Callable[[object, str], OrderEvent]

_TB_STATUS = {
    "WAIT_BUYER_PAY": OrderStatus.UNPAID,
    "WAIT_SELLER_SEND_GOODS": OrderStatus.PAID,
    "WAIT_BUYER_CONFIRM_GOODS": OrderStatus.SHIPPED,
    "TRADE_FINISHED": OrderStatus.COMPLETED,
    "TRADE_CLOSED": OrderStatus.CLOSED,
    "TRADE_CLOSED_BY_TAOBAO": OrderStatus.CLOSED,
}
_DY_STATUS = {
    1: OrderStatus.UNPAID,
    2: OrderStatus.PAID,
    3: OrderStatus.SHIPPED,
    4: OrderStatus.CLOSED,
    5: OrderStatus.COMPLETED,
}
_TB_WAREHOUSE = {
    "WAIT_PRINT": WarehouseStage.WAITING,
    "PRINTED": WarehouseStage.PRINTED,
    "PACKED": WarehouseStage.PACKED,
}
_DY_PACK = {0: WarehouseStage.WAITING, 1: WarehouseStage.PRINTED, 2: WarehouseStage.PACKED}
# Orders the warehouse has nothing to do with: whatever the record says, the stage is unknown.
_NO_WAREHOUSE = (OrderStatus.UNPAID, OrderStatus.CLOSED)
_KINDS = {kind.value: kind for kind in MessageKind}


def malformed(what: str, problem: str) -> Temporary:
    return Temporary(f"malformed payload from sandbox: {what} {problem}")


class Record:
    """Typed, checked access to one JSON object of the wire."""

    __slots__ = ("_data", "what")

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise malformed(what, f"is {type(data).__name__}, not an object")
        self._data: dict[str, Any] = data
        self.what = what

    def _get(self, key: str, types: tuple[type, ...], label: str) -> Any:
        if key not in self._data:
            raise malformed(self.what, f"missing {key!r}")
        value = self._data[key]
        # bool is an int subclass; a flag of `true` is as wrong as a flag of "1".
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise malformed(self.what, f"field {key!r} should be {label}, got {type(value).__name__}")
        return value

    def text(self, key: str) -> str:
        value: str = self._get(key, (str,), "a string")
        return value

    def opt_text(self, key: str) -> str | None:
        value: str | None = self._get(key, (str, type(None)), "a string or null")
        return value

    def integer(self, key: str) -> int:
        value: int = self._get(key, (int,), "an integer")
        return value

    def boolean(self, key: str) -> bool:
        value: bool = self._get(key, (bool,), "a boolean")
        return value

    def array(self, key: str) -> list[Any]:
        value: list[Any] = self._get(key, (list,), "an array")
        return value

    def raw_obj(self, key: str) -> dict[str, Any]:
        value: dict[str, Any] = self._get(key, (dict,), "an object")
        return value

    def obj(self, key: str) -> Record:
        return Record(self.raw_obj(key), f"{self.what} {key}")


def _from_ms(ms: int, what: str) -> datetime:
    try:
        return datetime.fromtimestamp(ms / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise malformed(what, f"has an impossible timestamp {ms}") from None


def _from_s(seconds: int, what: str) -> datetime | None:
    """Unix seconds; Doudian-style 0 means "not yet"."""
    return None if seconds == 0 else _from_ms(seconds * 1000, what)


def _tb_time(text: str, what: str, key: str) -> datetime:
    try:
        return parse_tb_time(text).astimezone(UTC)
    except ValueError:
        raise malformed(what, f"field {key!r} is not yyyy-MM-dd HH:mm:ss: {text!r}") from None


def _tb_opt_time(text: str | None, what: str, key: str) -> datetime | None:
    return None if text is None else _tb_time(text, what, key)


def _yuan(text: str, what: str, key: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise malformed(what, f"field {key!r} is not a decimal amount: {text!r}") from None
    if not value.is_finite():
        raise malformed(what, f"field {key!r} is not a finite amount: {text!r}")
    return value


def _fen(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)  # 12800 → Decimal("128.00")


def _warehouse(stage: WarehouseStage, status: OrderStatus) -> WarehouseStage:
    """The reported stage, unless the order (its trade status, before any refund) is unpaid or closed."""
    return WarehouseStage.UNKNOWN if status in _NO_WAREHOUSE else stage


def message_event(data: object, what: str) -> MessageEvent:
    r = Record(data, what)
    direction = r.text("direction")
    if direction not in ("in", "out"):
        raise malformed(what, f"has unknown direction {direction!r}")
    # An unknown message type is still a message; show it as text rather than wedge the feed.
    kind = _KINDS.get(r.text("type"), MessageKind.TEXT)
    return MessageEvent(
        platform_msg_id=r.text("msg_id"),
        conversation_id=r.text("conversation_id"),
        buyer_id=r.text("buyer_id"),
        buyer_nick=r.text("buyer_nick"),
        direction=Direction(direction),
        sender=r.text("sender"),
        kind=kind,
        text=r.text("content"),
        sent_at=_from_ms(r.integer("created_at"), what),
        client_key=r.opt_text("client_msg_id"),
    )


def tb_order_event(data: object, what: str) -> OrderEvent:
    r = Record(data, what)
    raw = r.text("status")
    refund = r.text("refund_status")
    if raw not in _TB_STATUS:
        raise malformed(what, f"has unknown status {raw!r}")
    if refund not in TB_REFUND_STATUSES:
        raise malformed(what, f"has unknown refund_status {refund!r}")
    warehouse = r.text("warehouse_status")
    if warehouse not in _TB_WAREHOUSE:
        raise malformed(what, f"has unknown warehouse_status {warehouse!r}")
    status = OrderStatus.REFUNDING if refund in TB_REFUND_ACTIVE else _TB_STATUS[raw]
    items = []
    for i, entry in enumerate(r.array("orders")):
        item = Record(entry, f"{what} item {i}")
        items.append(
            OrderItem(
                sku_id=item.text("sku_id"),
                title=item.text("title"),
                quantity=item.integer("num"),
                unit_price=_yuan(item.text("price"), item.what, "price"),
            )
        )
    receiver = (r.text("receiver_name"), r.text("receiver_mobile"), r.text("receiver_address"))
    return OrderEvent(
        platform_order_id=r.text("tid"),
        buyer_id=r.text("buyer_open_uid"),
        buyer_nick=r.text("buyer_nick"),
        status=status,
        raw_status=raw if refund == TB_REFUND_NONE else f"{raw}/{refund}",
        items=tuple(items),
        total=_yuan(r.text("payment"), what, "payment"),
        currency="CNY",
        created_at=_tb_time(r.text("created"), what, "created"),
        updated_at=_tb_time(r.text("modified"), what, "modified"),
        paid_at=_tb_opt_time(r.opt_text("pay_time"), what, "pay_time"),
        shipped_at=_tb_opt_time(r.opt_text("consign_time"), what, "consign_time"),
        receiver_masked=" ".join(part for part in receiver if part),
        seller_memo=r.text("seller_memo"),
        seller_flag=r.integer("seller_flag"),
        courier=r.text("logistics_company"),
        waybill=r.text("out_sid"),
        conversation_id=r.opt_text("conversation_id"),
        warehouse=_warehouse(_TB_WAREHOUSE[warehouse], _TB_STATUS[raw]),
        extra={"refund_status": refund, "warehouse_status": warehouse},
    )


def dy_order_event(data: object, what: str) -> OrderEvent:
    r = Record(data, what)
    code = r.integer("order_status")
    after_sale = r.integer("after_sale_status")
    if code not in DY_ORDER_STATUS:
        raise malformed(what, f"has unknown order_status {code}")
    if after_sale not in DY_AFTER_SALE:
        raise malformed(what, f"has unknown after_sale_status {after_sale}")
    pack = r.integer("pack_status")
    if pack not in _DY_PACK:
        raise malformed(what, f"has unknown pack_status {pack}")
    status = OrderStatus.REFUNDING if after_sale in DY_AFTER_SALE_ACTIVE else _DY_STATUS[code]
    raw = DY_ORDER_STATUS[code] + (f"/{DY_AFTER_SALE[after_sale]}" if after_sale else "")
    items = []
    for i, entry in enumerate(r.array("sku_order_list")):
        item = Record(entry, f"{what} item {i}")
        items.append(
            OrderItem(
                sku_id=item.text("sku_id"),
                title=item.text("product_name"),
                quantity=item.integer("item_num"),
                unit_price=_fen(item.integer("sku_price")),
            )
        )
    addr = r.obj("post_addr")
    address = "".join(addr.text(key) for key in ("province", "city", "town", "detail"))
    receiver = (r.text("post_receiver"), r.text("post_tel"), address)
    return OrderEvent(
        platform_order_id=r.text("order_id"),
        buyer_id=r.text("open_id"),
        buyer_nick=r.text("nick"),
        status=status,
        raw_status=raw,
        items=tuple(items),
        total=_fen(r.integer("order_amount")),
        currency="CNY",
        created_at=_from_ms(r.integer("create_time") * 1000, what),
        updated_at=_from_ms(r.integer("update_time") * 1000, what),
        paid_at=_from_s(r.integer("pay_time"), what),
        shipped_at=_from_s(r.integer("ship_time"), what),
        receiver_masked=" ".join(part for part in receiver if part),
        seller_memo=r.text("seller_words"),
        seller_flag=r.integer("seller_remark_stars"),
        courier=r.text("logistics_company"),
        waybill=r.text("logistics_code"),
        conversation_id=r.opt_text("conversation_id"),
        warehouse=_warehouse(_DY_PACK[pack], _DY_STATUS[code]),
        extra={"after_sale_status": str(after_sale), "pack_status": str(pack)},
    )


def message_page(payload: object) -> Page[MessageEvent]:
    r = Record(payload, "messages page")
    records = r.array("messages")
    cursor, more = r.text("next_cursor"), r.boolean("has_more")
    return Page(tuple(message_event(x, f"message record {i}") for i, x in enumerate(records)), cursor, more)


def order_page(payload: object, map_order: OrderMapper) -> Page[OrderEvent]:
    r = Record(payload, "orders page")
    records = r.array("orders")
    cursor, more = r.text("next_cursor"), r.boolean("has_more")
    return Page(tuple(map_order(x, f"order record {i}") for i, x in enumerate(records)), cursor, more)


def push_batch(payload: object, map_order: OrderMapper) -> tuple[list[Event], str]:
    """The events of one long-poll reply and the cursor to poll from next."""
    r = Record(payload, "push reply")
    records = r.array("events")
    cursor = r.text("next_cursor")
    events: list[Event] = []
    for i, entry in enumerate(records):
        event = Record(entry, f"push event {i}")
        kind = event.text("kind")
        if kind == "message":
            events.append(message_event(event.raw_obj("message"), f"push event {i} message"))
        elif kind == "order":
            events.append(map_order(event.raw_obj("order"), f"push event {i} order"))
        else:
            raise malformed(f"push event {i}", f"has unknown kind {kind!r}")
    return events, cursor


ORDER_MAPPERS: Mapping[str, OrderMapper] = {PLATFORM_TB: tb_order_event, PLATFORM_DY: dy_order_event}
