"""JOS replies → typed errors and sdk events: status table, money, flags, chat lines, bad payloads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from desktop.sdk import AuthExpired, Direction, OrderStatus, RateLimited, Rejected, Temporary
from plugins.jd.adapter import JdAdapter
from plugins.jd.mapping import (
    ORDER_STATUS,
    NoApiPermission,
    chat_message,
    chat_page,
    fingerprint,
    message_id,
    order_event,
    platform_error,
    remark_flag,
    search_page,
    session_customers,
    unwrap,
)
from plugins.jd.protocol import CST, ORDER_SEARCH, ORDER_STATES_ASKED


def order(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "orderId": "236810113731", "venderId": "752759", "orderState": "WAIT_SELLER_STOCK_OUT",
        "orderStateRemark": "等待出库", "orderTotalPrice": "2388.00", "orderSellerPrice": "2368.00",
        "orderPayment": "2374.00", "freightPrice": "6.00", "sellerDiscount": "20.00",
        "orderRemark": "请用顺丰发货", "venderRemark": "", "orderStartTime": "2024-05-01 09:12:03",
        "orderEndTime": "", "modified": "2024-05-01 09:30:00", "paymentConfirmTime": "2024-05-01 09:13:10",
        "consigneeInfo": {"fullname": "王**", "mobile": "138****5678", "telephone": "",
                          "fullAddress": "北京北京市朝阳区望京街道****"},
        "itemInfoList": [{"skuId": "100012043978", "skuName": "小米 Redmi K70", "itemTotal": "1", "jdPrice": "2299.00"},
                         {"skuId": "100008348542", "skuName": "三只松鼠 每日坚果", "itemTotal": "1", "jdPrice": "89.00"}],
        "pin": "jd_5f3a2b1c9d", "open_id_buyer": "a1b2c3", "xid_buyer": "o*AAT", "waybill": "", "logisticsId": "",
    }
    record.update(changes)
    return record


# -- status table ------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, status", [
    ("WAIT_SELLER_STOCK_OUT", OrderStatus.PAID),
    ("WAIT_SELLER_DELIVERY", OrderStatus.PAID),
    ("PAUSE", OrderStatus.PAID),
    ("POP_ORDER_PAUSE", OrderStatus.PAID),
    ("WAIT_GOODS_RECEIVE_CONFIRM", OrderStatus.SHIPPED),
    ("SEND_TO_DISTRIBUTION_CENER", OrderStatus.SHIPPED),
    ("DISTRIBUTION_CENTER_RECEIVED", OrderStatus.SHIPPED),
    ("RECEIPTS_CONFIRM", OrderStatus.COMPLETED),
    ("FINISHED_L", OrderStatus.COMPLETED),
    ("LOCKED", OrderStatus.REFUNDING),  # a buyer's cancel/refund request holds the order
    ("TRADE_CANCELED", OrderStatus.CLOSED),  # where a refunded order ends
])
def test_status_table(raw: str, status: OrderStatus) -> None:
    event = order_event(order(orderState=raw), 0)
    assert (event.status, event.raw_status) == (status, raw)


def test_every_state_we_ask_for_is_mapped() -> None:
    assert set(ORDER_STATES_ASKED) <= set(ORDER_STATUS)


def test_an_unknown_state_keeps_the_feed_going(caplog: pytest.LogCaptureFixture) -> None:
    event = order_event(order(orderState="SOMETHING_NEW"), 0)
    assert event.status is OrderStatus.PAID and event.raw_status == "SOMETHING_NEW"
    assert "SOMETHING_NEW" in caplog.text


# -- order fields --------------------------------------------------------------------------------------
def test_money_times_receiver_and_items() -> None:
    event = order_event(order(), 0)
    assert event.total == Decimal("2374.00") and isinstance(event.total, Decimal) and event.currency == "CNY"
    assert event.created_at == datetime(2024, 5, 1, 9, 12, 3, tzinfo=CST)
    assert event.updated_at == datetime(2024, 5, 1, 1, 30, tzinfo=UTC)
    assert event.paid_at == datetime(2024, 5, 1, 9, 13, 10, tzinfo=CST)
    assert event.shipped_at is None
    assert event.receiver_masked == "王** 138****5678 北京北京市朝阳区望京街道****"
    assert [(i.sku_id, i.quantity, i.unit_price) for i in event.items] == [
        ("100012043978", 1, Decimal("2299.00")), ("100008348542", 1, Decimal("89.00"))]
    assert event.extra["orderRemark"] == "请用顺丰发货" and event.extra["freightPrice"] == "6.00"
    assert event.seller_memo == "" and event.seller_flag == 0


def test_memo_and_flag_come_through() -> None:
    event = order_event(order(venderRemark="VIP客户"), 5)
    assert (event.seller_memo, event.seller_flag) == ("VIP客户", 5)
    assert JdAdapter.info.flag(5) is not None


def test_buyer_id_is_the_pin_when_jd_gives_it_else_an_open_id() -> None:
    assert order_event(order(), 0).buyer_id == "jd_5f3a2b1c9d"
    no_pin = order_event(order(pin=""), 0)
    assert (no_pin.buyer_id, no_pin.buyer_nick) == ("a1b2c3", "a1b2c3")
    nothing = order_event(order(pin=None, open_id_buyer=None, xid_buyer=None), 0)
    assert nothing.buyer_id == "order:236810113731"


def test_empty_payment_time_is_none_and_waybill_is_kept() -> None:
    event = order_event(order(paymentConfirmTime="", waybill="JDV000123", orderState="WAIT_GOODS_RECEIVE_CONFIRM"), 0)
    assert event.paid_at is None and event.waybill == "JDV000123"


@pytest.mark.parametrize("changes, words", [
    ({"orderId": ""}, "orderId"),
    ({"orderPayment": "abc"}, "orderPayment"),
    ({"orderPayment": None}, "orderPayment"),
    ({"modified": "yesterday"}, "modified"),
    ({"orderStartTime": None}, "orderStartTime"),
    ({"itemInfoList": "nope"}, "itemInfoList"),
    ({"itemInfoList": [{"skuId": "1", "itemTotal": "0", "jdPrice": "1.00"}]}, "itemTotal"),
    ({"itemInfoList": [{"skuId": "1", "itemTotal": "1", "jdPrice": "-1"}]}, "jdPrice"),
    ({"consigneeInfo": "王**"}, "consigneeInfo"),
])
def test_malformed_orders_are_temporary_and_say_where(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(Temporary, match="malformed payload from JD") as raised:
        order_event(order(**changes), 0)
    assert words in str(raised.value)


def test_fingerprint_follows_content_not_key_order() -> None:
    a = order()
    b = dict(reversed(list(a.items())))
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(order(orderState="LOCKED"))


# -- envelopes and errors --------------------------------------------------------------------------------
def envelope(result: Any) -> dict[str, Any]:
    return {"jingdong_pop_order_search_responce": {"code": "0", "searchorderinfo_result": result}}


def test_unwrap_finds_the_result_node_and_the_search_verdict() -> None:
    result = unwrap(ORDER_SEARCH, envelope({"apiResult": {"success": True}, "orderInfoList": [order()], "orderTotal": 1}))
    records, total = search_page(result)
    assert total == 1 and records[0]["orderId"] == "236810113731"


@pytest.mark.parametrize("code, zh, kind", [
    ("19", "无效access_token", AuthExpired),
    ("12", "无效签名", AuthExpired),
    ("21", "无效App Key", AuthExpired),
    ("65", "系统处理超时！请重新进行检索！", Temporary),
    ("33", "系统处理超时", Temporary),
    ("90", "调用次数超限，请稍后再试", RateLimited),
    ("", "接口调用过于频繁", RateLimited),
    ("24", "该商家无权调用API", NoApiPermission),
    ("91", "时间戳与服务器时间相差超过6分钟", Rejected),
    ("15", "不存在的方法名", Rejected),
])
def test_error_response_codes(code: str, zh: str, kind: type[Exception]) -> None:
    with pytest.raises(kind) as raised:
        unwrap(ORDER_SEARCH, {"error_response": {"code": code, "zh_desc": zh, "en_desc": ""}})
    assert zh in str(raised.value)
    if isinstance(raised.value, RateLimited):
        assert raised.value.retry_after > 0


def test_a_business_refusal_is_rejected_with_the_platforms_words() -> None:
    error = platform_error("", "订单不存在", "", "remark")
    assert type(error) is Rejected and "订单不存在" in error.reason
    with pytest.raises(Rejected, match="查询时间跨度不能超过一个月"):
        search_page({"apiResult": {"success": False, "chineseErrCode": "查询时间跨度不能超过一个月"}})


def test_a_nonzero_inner_code_is_an_error_too() -> None:
    with pytest.raises(AuthExpired):
        unwrap(ORDER_SEARCH, {"jingdong_pop_order_search_responce": {"code": "19", "zh_desc": "无效access_token"}})


@pytest.mark.parametrize("payload", [
    [], "text", {}, {"error_response": "boom"}, {"jingdong_pop_order_search_responce": []},
    {"jingdong_pop_order_search_responce": {"code": "0"}},
])
def test_malformed_envelopes_are_temporary(payload: Any) -> None:
    with pytest.raises(Temporary, match="malformed payload from JD"):
        unwrap(ORDER_SEARCH, payload)


@pytest.mark.parametrize("result", [
    {"orderInfoList": []},
    {"apiResult": {"success": True}, "orderInfoList": {}, "orderTotal": 0},
    {"apiResult": {"success": True}, "orderInfoList": [], "orderTotal": "many"},
    {"apiResult": {"success": True}, "orderInfoList": [3], "orderTotal": 1},
    {"apiResult": {}, "orderInfoList": [], "orderTotal": 0},
])
def test_malformed_search_results_are_temporary(result: dict[str, Any]) -> None:
    with pytest.raises(Temporary):
        search_page(result)


def test_remark_flag_reading() -> None:
    assert remark_flag({"api_jos_result": {"success": True}, "vender_remark": {"remark": "x", "flag": 4}}, "1") == 4
    assert remark_flag({"api_jos_result": {"success": True}, "vender_remark": None}, "1") == 0
    with pytest.raises(Temporary):
        remark_flag({"vender_remark": {"flag": 9}}, "1")
    with pytest.raises(Rejected, match="订单不存在"):
        remark_flag({"api_jos_result": {"success": False, "result_describe": "订单不存在"}}, "1")


# -- chat log ------------------------------------------------------------------------------------------------
LINE: dict[str, Any] = {"content": "开票在哪开", "sid": "14a75177c5464636435c63b3da4efcd9", "waiterSend": False,
        "time": 1642735203000, "skuId": 10026084786191, "customer": "turtle081025", "waiter": "果麦洁洁",
        "channel": 11}


def test_a_buyer_line_is_inbound_with_an_aware_time() -> None:
    event = chat_message(LINE)
    assert event is not None
    assert event.direction is Direction.IN and event.sender == "turtle081025"
    assert event.sent_at == datetime(2022, 1, 21, 3, 20, 3, tzinfo=UTC) and event.sent_at.tzinfo is not None
    assert (event.conversation_id, event.buyer_id, event.text) == ("turtle081025", "turtle081025", "开票在哪开")
    assert event.platform_msg_id == message_id(LINE["sid"], "turtle081025", 1642735203000, False, "开票在哪开")


def test_a_seat_line_is_outbound_and_names_the_seat() -> None:
    event = chat_message({**LINE, "waiterSend": True, "content": "您好"})
    assert event is not None and event.direction is Direction.OUT and event.sender == "果麦洁洁"


def test_a_string_time_is_beijing_time() -> None:
    event = chat_message({**LINE, "time": "2022-01-21 11:20:03"})
    assert event is not None and event.sent_at == datetime(2022, 1, 21, 3, 20, 3, tzinfo=UTC)


def test_message_ids_are_stable_and_distinct() -> None:
    first, again = chat_message(LINE), chat_message(dict(LINE))
    other = chat_message({**LINE, "waiterSend": True})
    assert first is not None and again is not None and other is not None
    assert first.platform_msg_id == again.platform_msg_id != other.platform_msg_id


def test_empty_lines_are_skipped_and_pages_counted() -> None:
    events, lines, total = chat_page({"chatLogList": [LINE, {**LINE, "content": ""}], "totalRecord": 2})
    assert (len(events), lines, total) == (1, 2, 2)


@pytest.mark.parametrize("bad", [{**LINE, "waiterSend": "false"}, {**LINE, "time": "later"},
                                 {**LINE, "customer": ""}, "line"])
def test_malformed_chat_lines_are_temporary(bad: Any) -> None:
    with pytest.raises(Temporary, match="malformed payload from JD"):
        chat_message(bad)


def test_session_list_gives_distinct_buyers() -> None:
    customers, sessions, total = session_customers({"chatSessionList": [
        {"customer": "a"}, {"customer": "b"}, {"customer": "a"}], "totalRecord": 7})
    assert (customers, sessions, total) == (["a", "b"], 3, 7)
    with pytest.raises(Temporary):
        session_customers({"chatSessionList": [{"waiter": "x"}], "totalRecord": 1})
