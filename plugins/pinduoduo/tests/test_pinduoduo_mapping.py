"""Wire records → sdk values: statuses incl. refunds, money, tags, masking, malformed
payloads, the platform's error codes and the token reply."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from desktop.sdk import (
    AuthExpired,
    FlagColor,
    OrderStatus,
    RateLimited,
    Rejected,
    Temporary,
    WarehouseStage,
)
from plugins.pinduoduo.client import platform_error
from plugins.pinduoduo.mapping import (
    TAGS,
    increment_page,
    normalize_status,
    note_result,
    order_event,
    raw_status,
    tokens,
)


def order(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "order_sn": "240501-123456789012345",
        "order_status": 1,
        "refund_status": 1,
        "after_sales_status": 0,
        "confirm_status": 1,
        "group_status": 1,
        "pay_amount": Decimal("55.8"),
        "created_time": "2024-05-01 09:58:12",
        "pay_time": "2024-05-01 09:58:40",
        "shipping_time": "",
        "updated_at": "2024-05-01 10:00:00",
        "receiver_name_mask": "张**",
        "receiver_phone_mask": "138****5678",
        "address_mask": "浙江省杭州市西湖区文三路***号",
        "remark": "客户要求顺丰",
        "remark_tag": 1,
        "remark_tag_name": "加急",
        "buyer_memo": "请尽快发货",
        "tracking_number": "",
        "item_list": [{"goods_id": 389120011, "sku_id": 1203340012, "goods_name": "冰糖心苹果",
                       "goods_spec": "大果 10斤装", "goods_price": Decimal("27.9"), "goods_count": 2}],
    }
    record.update(changes)
    return record


# -- statuses -------------------------------------------------------------------------------
@pytest.mark.parametrize(("order_status", "refund", "confirm", "group", "status", "raw"), [
    (1, 1, 1, 1, OrderStatus.PAID, "待发货(1)"),
    (2, 1, 1, 1, OrderStatus.SHIPPED, "已发货待签收(2)"),
    (3, 1, 1, 1, OrderStatus.COMPLETED, "已签收(3)"),
    (1, 2, 1, 1, OrderStatus.REFUNDING, "待发货(1)·售后处理中(2)"),
    (1, 3, 1, 1, OrderStatus.REFUNDING, "待发货(1)·退款中(3)"),
    (3, 2, 1, 1, OrderStatus.REFUNDING, "已签收(3)·售后处理中(2)"),
    (2, 3, 1, 1, OrderStatus.REFUNDING, "已发货待签收(2)·退款中(3)"),
    (1, 4, 1, 1, OrderStatus.CLOSED, "待发货(1)·退款成功(4)"),
    (3, 4, 1, 1, OrderStatus.CLOSED, "已签收(3)·退款成功(4)"),
    (1, 1, 2, 1, OrderStatus.CLOSED, "待发货(1)·已取消"),
    (1, 1, 0, 2, OrderStatus.CLOSED, "待发货(1)·团失败"),
    (1, 1, 0, 0, OrderStatus.PAID, "待发货(1)"),  # paid, group still forming
    (1, 1, None, None, OrderStatus.PAID, "待发货(1)"),
])
def test_status_table(order_status: int, refund: int, confirm: int | None, group: int | None,
                      status: OrderStatus, raw: str) -> None:
    assert normalize_status(order_status, refund, confirm, group) is status
    assert raw_status(order_status, refund, confirm, group) == raw
    event = order_event(order(order_status=order_status, refund_status=refund,
                              confirm_status=confirm, group_status=group))
    assert event.status is status and event.raw_status == raw


def test_a_full_order() -> None:
    e = order_event(order())
    assert e.platform_order_id == "240501-123456789012345"
    assert e.buyer_id == "order:240501-123456789012345" and e.buyer_nick == "张**"
    assert e.extra["buyer_id_synthetic"] == "true"
    assert e.total == Decimal("55.80") and e.currency == "CNY"
    assert e.items[0].unit_price == Decimal("27.90") and e.items[0].quantity == 2
    assert e.items[0].sku_id == "1203340012" and e.items[0].title == "冰糖心苹果（大果 10斤装）"
    # Beijing time: 10:00 +08:00 is 02:00 UTC
    assert e.updated_at == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert e.created_at.utcoffset() == timedelta(hours=8)
    assert e.paid_at == datetime(2024, 5, 1, 1, 58, 40, tzinfo=UTC) and e.shipped_at is None
    assert e.receiver_masked == "张** 138****5678 浙江省杭州市西湖区文三路***号"
    assert e.seller_memo == "客户要求顺丰" and e.seller_flag == 1
    assert e.extra["remark_tag_name"] == "加急" and e.extra["buyer_memo"] == "请尽快发货"
    assert e.warehouse is WarehouseStage.UNKNOWN and e.conversation_id is None


def test_receiver_without_address_mask_is_built_from_region_and_masked_street() -> None:
    e = order_event(order(address_mask="", province="广东省", city="深圳市", town="南山区",
                          receiver_address_mask="科技园***栋"))
    assert e.receiver_masked == "张** 138****5678 广东省深圳市南山区科技园***栋"


def test_a_shipped_order_carries_its_waybill() -> None:
    e = order_event(order(order_status=2, shipping_time="2024-05-01 18:00:00", tracking_number="YT1234567890123"))
    assert e.waybill == "YT1234567890123" and e.shipped_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


# -- money ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("amount", "expected"), [
    (Decimal("19.9"), Decimal("19.90")), (Decimal("0.1"), Decimal("0.10")), (20, Decimal("20.00")),
    ("36.80", Decimal("36.80")), (19.9, Decimal("19.90")), (Decimal("0"), Decimal("0.00")),
])
def test_money_is_exact_yuan(amount: object, expected: Decimal) -> None:
    total = order_event(order(pay_amount=amount)).total
    assert total == expected and str(total) == str(expected)


def test_replies_parsed_with_decimal_floats_keep_amounts_exact() -> None:
    data = json.loads('{"pay_amount": 0.3, "goods_price": 1.1}', parse_float=Decimal)
    e = order_event(order(pay_amount=data["pay_amount"]))
    assert e.total == Decimal("0.30")


# -- tags ---------------------------------------------------------------------------------------
def test_the_tag_palette_is_section_8() -> None:
    assert [(t.value, t.color) for t in TAGS] == [
        (1, FlagColor.RED), (2, FlagColor.YELLOW), (3, FlagColor.GREEN), (4, FlagColor.BLUE), (5, FlagColor.PURPLE)]
    assert all(len(t.label) <= 3 for t in TAGS)  # the label doubles as tag_name (≤ 3 chars)


@pytest.mark.parametrize(("tag", "flag"), [(1, 1), (3, 3), (5, 5), (None, None), (0, None)])
def test_remark_tag_reads_back_as_the_flag(tag: int | None, flag: int | None) -> None:
    assert order_event(order(remark_tag=tag)).seller_flag == flag


def test_an_unknown_tag_is_kept_aside_not_shown() -> None:
    e = order_event(order(remark_tag=9))
    assert e.seller_flag is None and e.extra["remark_tag"] == "9"


# -- malformed ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("record", "words"), [
    ("not an order", "is str, not an object"),
    ({k: v for k, v in order().items() if k != "order_sn"}, "lacks 'order_sn'"),
    (order(order_sn=""), "'order_sn'"),
    (order(order_status=7), "unknown order_status 7"),
    (order(refund_status=9), "unknown refund_status 9"),
    (order(order_status="1"), "field 'order_status' should be an integer"),
    (order(order_status=True), "field 'order_status' should be an integer"),
    (order(pay_amount="12,30"), "field 'pay_amount' should be an amount"),
    (order(pay_amount=Decimal("-1")), "non-negative"),
    (order(pay_amount=None), "field 'pay_amount'"),
    (order(updated_at="2024/05/01 10:00"), "field 'updated_at' should be a yyyy-MM-dd HH:mm:ss time"),
    (order(pay_time=12345), "field 'pay_time' should be a string"),
    (order(item_list=None), "field 'item_list' should be an array"),
    (order(item_list=[{"sku_id": 1, "goods_name": "x", "goods_price": 1, "goods_count": 0}]), "goods_count 0"),
    (order(item_list=[{"sku_id": 1, "goods_name": "x", "goods_count": 1}]), "lacks 'goods_price'"),
    (order(remark=5), "field 'remark' should be a string"),
])
def test_malformed_records_are_temporary_and_say_what(record: object, words: str) -> None:
    with pytest.raises(Temporary, match="malformed payload from 拼多多") as raised:
        order_event(record)
    assert words in str(raised.value)


@pytest.mark.parametrize("reply", [
    {"total_count": "3", "order_sn_list": []},
    {"total_count": 3, "has_next": "yes", "order_sn_list": []},
    {"total_count": 3, "order_sn_list": {}},
    [],
])
def test_malformed_increment_replies(reply: object) -> None:
    with pytest.raises(Temporary):
        increment_page(reply)


def test_an_increment_reply_without_orders_is_an_empty_page() -> None:
    page = increment_page({"total_count": 0})
    assert page.orders == [] and page.total_count == 0


# -- note reply -------------------------------------------------------------------------------------
def test_note_results() -> None:
    assert note_result({"success": True}) is None
    reason = note_result({"success": False, "error_code": 10000, "error_msg": "订单不存在"})
    assert reason is not None and "订单不存在" in reason
    with pytest.raises(Temporary):
        note_result({"ok": 1})


# -- error codes ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "kind"), [
    (10019, AuthExpired), (20004, AuthExpired),
    (52101, RateLimited), (70031, RateLimited), (70036, RateLimited),
    (52102, Temporary), (52103, Temporary), (70033, Temporary),
    (50000, Temporary), (50001, Temporary), (50002, Temporary), (52001, Temporary), (52002, Temporary),
    (20005, Rejected), (20031, Rejected), (70032, Rejected), (70034, Rejected), (70035, Rejected),
    (10000, Rejected), (None, Rejected),
])
def test_error_codes(code: int | None, kind: type[Exception]) -> None:
    error = platform_error("pdd.order.information.get", code, "平台说明", "sub", "细节")
    assert type(error) is kind
    assert "平台说明" in str(error) and "细节" in str(error)


def test_call_limits_wait_sensibly() -> None:
    minute = platform_error("api", 70031, "调用过于频繁")
    assert isinstance(minute, RateLimited) and minute.retry_after == 60
    hinted = platform_error("api", 52101, "限流", retry_after=5)
    assert isinstance(hinted, RateLimited) and hinted.retry_after == 5
    capped = platform_error("api", 70036, "测试应用调用次数已达上限")
    assert isinstance(capped, RateLimited) and capped.retry_after == 3600


def test_a_business_refusal_carries_the_platform_message() -> None:
    error = platform_error("pdd.order.note.update", 10000, "订单不存在")
    assert isinstance(error, Rejected) and "订单不存在" in error.reason


# -- tokens -------------------------------------------------------------------------------------------
NOW = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)


def test_token_reply_with_absolute_expiry_in_seconds() -> None:
    t = tokens({"access_token": "at1", "refresh_token": "rt1", "expires_at": 1714615200, "expires_in": 86400,
                "refresh_token_expires_at": 1717120800, "owner_id": "782341650", "owner_name": "果园直发",
                "scope": ["pdd.order.information.get"]}, "pop_auth_token_create_response", NOW)
    assert t.access_token == "at1" and t.refresh_token == "rt1"
    assert t.expires_at == datetime(2024, 5, 2, 2, 0, tzinfo=UTC)
    assert t.refresh_expires_at == datetime(2024, 5, 31, 2, 0, tzinfo=UTC)
    assert dict(t.extra) == {"owner_id": "782341650", "owner_name": "果园直发"}


def test_token_reply_in_milliseconds_or_relative() -> None:
    t = tokens({"access_token": "a", "expires_at": 1714615200000, "refresh_token_expires_in": 60}, "k", NOW)
    assert t.expires_at == datetime(2024, 5, 2, 2, 0, tzinfo=UTC)
    assert t.refresh_expires_at == NOW + timedelta(seconds=60) and t.refresh_token == ""
    assert tokens({"access_token": "a", "expires_in": 10}, "k", NOW).expires_at == NOW + timedelta(seconds=10)
    assert tokens({"access_token": "a", "owner_id": 782341650}, "k", NOW).extra["owner_id"] == "782341650"


def test_a_token_reply_without_a_token_is_malformed() -> None:
    with pytest.raises(Temporary, match="access_token"):
        tokens({"expires_in": 10}, "pop_auth_token_create_response", NOW)
