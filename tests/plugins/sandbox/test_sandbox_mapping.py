"""Pure mapping of wire records to sdk events, and refusal of every malformed record."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from desktop.sdk import Direction, MessageKind, OrderStatus, Temporary, WarehouseStage
from plugins.sandbox.mapping import dy_order_event, message_event, message_page, order_page, push_batch, tb_order_event
from plugins.sandbox.protocol import DY_ORDER_FIELDS, MESSAGE_FIELDS, TB_ORDER_FIELDS

MESSAGE: dict[str, Any] = {
    "msg_id": "m1-0000001",
    "conversation_id": "cv1-000001",
    "buyer_id": "AAHx",
    "buyer_nick": "小鹿乱撞123",
    "direction": "in",
    "sender": "小鹿乱撞123",
    "type": "text",
    "content": "<b>x</b><img src=x> 😀",
    "created_at": 1_790_000_000_123,
    "client_msg_id": None,
}
TB_ORDER: dict[str, Any] = {
    "tid": "390000100000000001",
    "status": "WAIT_SELLER_SEND_GOODS",
    "refund_status": "NO_REFUND",
    "payment": "158.80",
    "seller_memo": "客户要求顺丰 —— 小王 2026-11-23",
    "seller_flag": 1,
    "receiver_name": "张*",
    "receiver_address": "浙江省杭州市西湖区****",
    "receiver_mobile": "138****1234",
    "orders": [
        {"oid": "1", "sku_id": "s1", "title": "蓝牙降噪耳机 Pro", "num": 1, "price": "129.00"},
        {"oid": "2", "sku_id": "s2", "title": "Type-C 编织数据线", "num": 1, "price": "29.80"},
    ],
    "created": "2026-11-23 10:00:00",
    "modified": "2026-11-23 10:05:00",
    "pay_time": "2026-11-23 10:01:00",
    "consign_time": None,
    "logistics_company": "",
    "out_sid": "",
    "buyer_open_uid": "AAHx",
    "buyer_nick": "小鹿乱撞123",
    "conversation_id": "cv1-000001",
    "warehouse_status": "PRINTED",
}
DY_ORDER: dict[str, Any] = {
    "order_id": "6900020000000000001",
    "order_status": 3,
    "order_status_desc": "已发货",
    "after_sale_status": 0,
    "order_amount": 15900,
    "seller_words": "送小礼物",
    "seller_remark_stars": 2,
    "post_receiver": "王*",
    "post_tel": "186****0001",
    "post_addr": {"province": "广东省", "city": "深圳市", "town": "南山区", "detail": "****"},
    "sku_order_list": [
        {"sku_order_id": "1", "sku_id": "d1", "product_name": "法式碎花连衣裙", "item_num": 1, "sku_price": 15900}
    ],
    "create_time": 1_790_000_000,
    "update_time": 1_790_000_600,
    "pay_time": 1_790_000_060,
    "ship_time": 1_790_000_600,
    "logistics_code": "SF1234567890123",
    "logistics_company": "顺丰速运",
    "open_id": "1@#abc",
    "nick": "用户123",
    "conversation_id": None,
    "pack_status": 2,
    "pack_status_desc": "已打包",
}


def test_message_record_maps_to_a_message_event() -> None:
    event = message_event(MESSAGE, "message record 0")
    assert event.platform_msg_id == "m1-0000001" and event.direction is Direction.IN
    assert event.kind is MessageKind.TEXT and event.text == MESSAGE["content"]  # kept verbatim, never sanitised
    assert event.sent_at == datetime(2026, 9, 21, 14, 13, 20, 123000, tzinfo=UTC)
    assert event.client_key is None
    echoed = message_event({**MESSAGE, "direction": "out", "client_msg_id": "k1", "type": "image"}, "m")
    assert (echoed.direction, echoed.client_key, echoed.kind) == (Direction.OUT, "k1", MessageKind.IMAGE)
    assert message_event({**MESSAGE, "type": "video"}, "m").kind is MessageKind.TEXT  # unknown type: still shown


def test_tb_order_maps_money_times_receiver_and_memo() -> None:
    event = tb_order_event(TB_ORDER, "order record 0")
    assert event.status is OrderStatus.PAID and event.raw_status == "WAIT_SELLER_SEND_GOODS"
    assert event.total == Decimal("158.80") and event.currency == "CNY"
    assert [(i.sku_id, i.quantity, i.unit_price) for i in event.items] == [
        ("s1", 1, Decimal("129.00")),
        ("s2", 1, Decimal("29.80")),
    ]
    assert event.created_at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    assert event.paid_at is not None and event.shipped_at is None
    assert event.receiver_masked == "张* 138****1234 浙江省杭州市西湖区****"
    assert (event.seller_memo, event.seller_flag, event.conversation_id) == (TB_ORDER["seller_memo"], 1, "cv1-000001")


def test_dy_order_maps_fen_seconds_and_structured_address() -> None:
    event = dy_order_event(DY_ORDER, "order record 0")
    assert event.status is OrderStatus.SHIPPED and event.raw_status == "已发货"
    assert event.total == Decimal("159.00") and event.items[0].unit_price == Decimal("159.00")
    assert event.shipped_at == datetime.fromtimestamp(1_790_000_600, UTC)
    assert (event.courier, event.waybill) == ("顺丰速运", "SF1234567890123")
    assert event.receiver_masked == "王* 186****0001 广东省深圳市南山区****"
    assert (event.seller_flag, event.conversation_id) == (2, None)
    unpaid = dy_order_event({**DY_ORDER, "order_status": 1, "pay_time": 0, "ship_time": 0}, "o")
    assert unpaid.paid_at is None and unpaid.shipped_at is None


@pytest.mark.parametrize(
    ("status", "refund", "expected", "raw"),
    [
        ("WAIT_BUYER_PAY", "NO_REFUND", OrderStatus.UNPAID, "WAIT_BUYER_PAY"),
        ("WAIT_SELLER_SEND_GOODS", "NO_REFUND", OrderStatus.PAID, "WAIT_SELLER_SEND_GOODS"),
        ("WAIT_BUYER_CONFIRM_GOODS", "NO_REFUND", OrderStatus.SHIPPED, "WAIT_BUYER_CONFIRM_GOODS"),
        ("TRADE_FINISHED", "NO_REFUND", OrderStatus.COMPLETED, "TRADE_FINISHED"),
        ("TRADE_CLOSED", "SUCCESS", OrderStatus.CLOSED, "TRADE_CLOSED/SUCCESS"),
        ("TRADE_CLOSED_BY_TAOBAO", "NO_REFUND", OrderStatus.CLOSED, "TRADE_CLOSED_BY_TAOBAO"),
        (
            "WAIT_SELLER_SEND_GOODS",
            "WAIT_SELLER_AGREE",
            OrderStatus.REFUNDING,
            "WAIT_SELLER_SEND_GOODS/WAIT_SELLER_AGREE",
        ),
        (
            "WAIT_BUYER_CONFIRM_GOODS",
            "WAIT_BUYER_RETURN_GOODS",
            OrderStatus.REFUNDING,
            "WAIT_BUYER_CONFIRM_GOODS/WAIT_BUYER_RETURN_GOODS",
        ),
        ("TRADE_FINISHED", "CLOSED", OrderStatus.COMPLETED, "TRADE_FINISHED/CLOSED"),
    ],
)
def test_tb_status_table(status: str, refund: str, expected: OrderStatus, raw: str) -> None:
    event = tb_order_event({**TB_ORDER, "status": status, "refund_status": refund}, "o")
    assert (event.status, event.raw_status, event.extra["refund_status"]) == (expected, raw, refund)


@pytest.mark.parametrize(
    ("code", "after_sale", "expected", "raw"),
    [
        (1, 0, OrderStatus.UNPAID, "待支付"),
        (2, 0, OrderStatus.PAID, "备货中"),
        (3, 0, OrderStatus.SHIPPED, "已发货"),
        (4, 0, OrderStatus.CLOSED, "已取消"),
        (5, 0, OrderStatus.COMPLETED, "已完成"),
        (2, 1, OrderStatus.REFUNDING, "备货中/售后处理中"),
        (3, 2, OrderStatus.REFUNDING, "已发货/退货中"),
        (4, 3, OrderStatus.CLOSED, "已取消/退款成功"),
        (5, 4, OrderStatus.COMPLETED, "已完成/售后关闭"),
    ],
)
def test_dy_status_table(code: int, after_sale: int, expected: OrderStatus, raw: str) -> None:
    event = dy_order_event({**DY_ORDER, "order_status": code, "after_sale_status": after_sale}, "o")
    assert (event.status, event.raw_status) == (expected, raw)


W = WarehouseStage


@pytest.mark.parametrize(
    ("status", "refund", "warehouse", "expected"),
    [
        ("WAIT_BUYER_PAY", "NO_REFUND", "WAIT_PRINT", W.UNKNOWN),  # unpaid: nothing for the warehouse yet
        ("WAIT_SELLER_SEND_GOODS", "NO_REFUND", "WAIT_PRINT", W.WAITING),
        ("WAIT_SELLER_SEND_GOODS", "NO_REFUND", "PRINTED", W.PRINTED),
        ("WAIT_SELLER_SEND_GOODS", "NO_REFUND", "PACKED", W.PACKED),
        ("WAIT_SELLER_SEND_GOODS", "WAIT_SELLER_AGREE", "PRINTED", W.PRINTED),  # refunding, still printed
        ("WAIT_BUYER_CONFIRM_GOODS", "NO_REFUND", "PACKED", W.PACKED),
        ("TRADE_FINISHED", "NO_REFUND", "PACKED", W.PACKED),
        ("TRADE_CLOSED", "SUCCESS", "PACKED", W.UNKNOWN),  # closed: whatever the record says
        ("TRADE_CLOSED_BY_TAOBAO", "NO_REFUND", "WAIT_PRINT", W.UNKNOWN),
    ],
)
def test_tb_warehouse_table(status: str, refund: str, warehouse: str, expected: WarehouseStage) -> None:
    record = {**TB_ORDER, "status": status, "refund_status": refund, "warehouse_status": warehouse}
    event = tb_order_event(record, "o")
    assert event.warehouse is expected and event.extra["warehouse_status"] == warehouse


@pytest.mark.parametrize(
    ("code", "after_sale", "pack", "expected"),
    [
        (1, 0, 0, W.UNKNOWN),
        (2, 0, 0, W.WAITING),
        (2, 0, 1, W.PRINTED),
        (2, 0, 2, W.PACKED),
        (2, 1, 1, W.PRINTED),
        (3, 0, 2, W.PACKED),
        (5, 0, 2, W.PACKED),
        (4, 0, 0, W.UNKNOWN),
        (4, 3, 2, W.UNKNOWN),
    ],
)
def test_dy_warehouse_table(code: int, after_sale: int, pack: int, expected: WarehouseStage) -> None:
    record = {**DY_ORDER, "order_status": code, "after_sale_status": after_sale, "pack_status": pack}
    event = dy_order_event(record, "o")
    assert event.warehouse is expected and event.extra["pack_status"] == str(pack)


def test_the_fixtures_map_their_warehouse_stage() -> None:
    assert tb_order_event(TB_ORDER, "o").warehouse is W.PRINTED  # paid, waybill printed
    assert dy_order_event(DY_ORDER, "o").warehouse is W.PACKED  # shipped


WRONG = {str: 12345, int: "12345x", list: {"oops": 1}, dict: "oops", type(None): ["oops"]}
CASES = [
    (message_event, MESSAGE, MESSAGE_FIELDS),
    (tb_order_event, TB_ORDER, TB_ORDER_FIELDS),
    (dy_order_event, DY_ORDER, DY_ORDER_FIELDS),
]
MISSING = [pytest.param(fn, rec, name, id=f"{fn.__name__}-{name}") for fn, rec, fields in CASES for name in fields]


@pytest.mark.parametrize(("mapper", "record", "field"), MISSING)
def test_every_required_field_missing_is_temporary(mapper: Any, record: dict[str, Any], field: str) -> None:
    broken = {k: v for k, v in record.items() if k != field}
    with pytest.raises(Temporary, match=f"malformed payload from sandbox: order record 3 missing '{field}'"):
        mapper(broken, "order record 3")


@pytest.mark.parametrize(("mapper", "record", "field"), MISSING)
def test_every_required_field_mistyped_is_temporary(mapper: Any, record: dict[str, Any], field: str) -> None:
    broken = {**record, field: WRONG[type(record[field])]}
    with pytest.raises(Temporary, match=f"'{field}' should be"):
        mapper(broken, "record 0")


@pytest.mark.parametrize(
    ("mapper", "record", "patch", "message"),
    [
        (tb_order_event, TB_ORDER, {"status": "TRADE_MAYBE"}, "unknown status"),
        (tb_order_event, TB_ORDER, {"payment": "12,00"}, "not a decimal"),
        (tb_order_event, TB_ORDER, {"payment": "NaN"}, "not a finite"),
        (tb_order_event, TB_ORDER, {"created": "yesterday"}, "yyyy-MM-dd"),
        (tb_order_event, TB_ORDER, {"seller_flag": True}, "seller_flag"),
        (tb_order_event, TB_ORDER, {"orders": [{"sku_id": "s", "title": "t", "num": "1", "price": "1.00"}]}, "item 0"),
        (tb_order_event, TB_ORDER, {"warehouse_status": "SHIPPED"}, "unknown warehouse_status 'SHIPPED'"),
        (tb_order_event, TB_ORDER, {"warehouse_status": "printed"}, "unknown warehouse_status"),
        (tb_order_event, TB_ORDER, {"warehouse_status": ""}, "unknown warehouse_status"),
        (tb_order_event, TB_ORDER, {"warehouse_status": None}, "'warehouse_status' should be a string"),
        (tb_order_event, TB_ORDER, {"status": "WAIT_BUYER_PAY", "warehouse_status": "?"}, "unknown warehouse_status"),
        (dy_order_event, DY_ORDER, {"order_status": 9}, "unknown order_status"),
        (dy_order_event, DY_ORDER, {"pack_status": 3}, "unknown pack_status 3"),
        (dy_order_event, DY_ORDER, {"pack_status": -1}, "unknown pack_status -1"),
        (dy_order_event, DY_ORDER, {"pack_status": True}, "'pack_status' should be an integer"),
        (dy_order_event, DY_ORDER, {"pack_status": "2"}, "'pack_status' should be an integer"),
        (dy_order_event, DY_ORDER, {"order_status": 1, "pack_status": 7}, "unknown pack_status"),
        (dy_order_event, DY_ORDER, {"post_addr": {"province": "x"}}, "post_addr missing 'city'"),
        (dy_order_event, DY_ORDER, {"create_time": 10**20}, "impossible timestamp"),
        (message_event, MESSAGE, {"direction": "sideways"}, "unknown direction"),
    ],
)
def test_semantically_broken_records_are_temporary(
    mapper: Any, record: dict[str, Any], patch: dict[str, Any], message: str
) -> None:
    with pytest.raises(Temporary, match=message):
        mapper({**record, **patch}, "record 0")


def test_a_page_with_one_bad_record_fails_whole() -> None:
    bad = copy.deepcopy(MESSAGE)
    del bad["content"]
    with pytest.raises(Temporary, match="message record 1 missing 'content'"):
        message_page({"messages": [MESSAGE, bad], "next_cursor": "c", "has_more": False})
    with pytest.raises(Temporary, match="has_more"):
        order_page({"orders": [], "next_cursor": "c", "has_more": "no"}, tb_order_event)
    with pytest.raises(Temporary, match="not an object"):
        message_page([MESSAGE])


def test_push_batch_maps_both_kinds_and_refuses_unknown_ones() -> None:
    events, cursor = push_batch(
        {"events": [{"kind": "message", "message": MESSAGE}, {"kind": "order", "order": DY_ORDER}], "next_cursor": "p"},
        dy_order_event,
    )
    assert cursor == "p" and [type(e).__name__ for e in events] == ["MessageEvent", "OrderEvent"]
    with pytest.raises(Temporary, match="unknown kind"):
        push_batch({"events": [{"kind": "gift"}], "next_cursor": "p"}, dy_order_event)
    with pytest.raises(Temporary, match="push event 0 order missing"):
        push_batch({"events": [{"kind": "order", "order": DY_ORDER}], "next_cursor": "p"}, tb_order_event)
