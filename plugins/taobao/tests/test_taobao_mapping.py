"""Pure mapping: TOP trades → OrderEvent (status table, refunds, money, flags, receiver),
malformed records → Temporary, and TOP envelopes/error codes → typed sdk errors."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from desktop.sdk import AuthExpired, OrderStatus, RateLimited, Rejected, Temporary
from plugins.taobao.adapter import TaobaoAdapter
from plugins.taobao.envelope import DEFAULT_BAN_S, ban_seconds, error_from, http_error, result_of
from plugins.taobao.mapping import STATUS, Record, fingerprint, trade_event, trades_of
from plugins.taobao.protocol import CHINA_TZ, TRADE_STATUSES, format_time, parse_time, response_key

TRADE: dict[str, Any] = {
    "tid": 3120004567890123456,
    "tid_str": "3120004567890123456",
    "status": "WAIT_SELLER_SEND_GOODS",
    "buyer_open_uid": "AAGk2pR8ABjK9cV3bQx4Ya7E",
    "buyer_nick": "小**鱼",
    "payment": "167.80",
    "total_fee": "159.80",
    "post_fee": "8.00",
    "created": "2024-05-01 09:12:30",
    "modified": "2024-05-01 09:20:00",
    "pay_time": "2024-05-01 09:14:30",
    "seller_memo": "客户要求周末送达",
    "seller_flag": 2,
    "receiver_name": "王*",
    "receiver_mobile": "*******5678",
    "receiver_state": "浙江省",
    "receiver_city": "杭州市",
    "receiver_district": "西湖区",
    "receiver_town": "文新街道",
    "receiver_address": "文**路***号**幢",
    "orders": {"order": [
        {"oid": 1, "num_iid": 652301847721, "sku_id": "4871200381001", "title": "纯棉短袖T恤男夏季宽松圆领打底衫",
         "price": "59.00", "num": 2, "refund_status": "NO_REFUND"},
        {"oid": 2, "num_iid": 701928374650, "sku_id": "", "title": "云南普洱熟茶饼357g勐海古树茶",
         "price": "41.80", "num": 1, "refund_status": "NO_REFUND", "logistics_company": "",
         "invoice_no": ""},
    ]},
}


def trade(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(TRADE)
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def with_refund(status: str, refund: str) -> dict[str, Any]:
    out = trade(status=status)
    out["orders"]["order"][0]["refund_status"] = refund
    return out


# -- the happy path ---------------------------------------------------------------------------

def test_a_full_trade_maps_field_by_field() -> None:
    e = trade_event(TRADE)
    assert e.platform_order_id == "3120004567890123456"
    assert (e.buyer_id, e.buyer_nick) == ("AAGk2pR8ABjK9cV3bQx4Ya7E", "小**鱼")
    assert (e.status, e.raw_status) == (OrderStatus.PAID, "WAIT_SELLER_SEND_GOODS")
    assert e.total == Decimal("167.80") and isinstance(e.total, Decimal) and e.currency == "CNY"
    assert [(i.sku_id, i.quantity, i.unit_price) for i in e.items] == [
        ("4871200381001", 2, Decimal("59.00")),
        ("701928374650", 1, Decimal("41.80")),  # no SKU: the item id stands in
    ]
    assert e.items[0].title == "纯棉短袖T恤男夏季宽松圆领打底衫"
    assert e.created_at == datetime(2024, 5, 1, 9, 12, 30, tzinfo=CHINA_TZ)
    assert e.updated_at.utcoffset() == timedelta(hours=8)
    assert e.paid_at == datetime(2024, 5, 1, 9, 14, 30, tzinfo=CHINA_TZ) and e.shipped_at is None
    assert e.receiver_masked == "王* *******5678 浙江省杭州市西湖区文新街道 文**路***号**幢"
    assert (e.seller_memo, e.seller_flag) == ("客户要求周末送达", 2)
    assert e.conversation_id is None and e.courier == "" and e.waybill == ""
    assert e.warehouse.value == "unknown"  # Taobao reports no warehouse stage


def test_tid_without_tid_str_and_plain_arrays_are_read() -> None:
    plain = trade(tid_str=None)
    plain["orders"] = plain["orders"]["order"]
    e = trade_event(plain)
    assert e.platform_order_id == "3120004567890123456" and len(e.items) == 2


def test_optional_fields_may_be_absent_or_empty() -> None:
    e = trade_event(trade(pay_time="", seller_memo=None, seller_flag=None, receiver_name=None,
                          receiver_mobile="", receiver_phone="0571-8888****", orders={}))
    assert e.paid_at is None and e.seller_memo == "" and e.seller_flag is None and e.items == ()
    assert e.receiver_masked.startswith("0571-8888**** 浙江省")


def test_courier_and_waybill_come_from_the_sub_orders_else_the_trade_sid() -> None:
    shipped = trade(status="WAIT_BUYER_CONFIRM_GOODS", consign_time="2024-05-01 11:00:00", sid="SF1400000001")
    assert trade_event(shipped).waybill == "SF1400000001"
    shipped["orders"]["order"][1].update(logistics_company="中通快递", invoice_no="73150000000001")
    e = trade_event(shipped)
    assert (e.courier, e.waybill) == ("中通快递", "73150000000001")
    assert e.shipped_at == datetime(2024, 5, 1, 11, 0, tzinfo=CHINA_TZ)


def test_buyer_nick_stands_in_when_there_is_no_open_uid() -> None:
    assert trade_event(trade(buyer_open_uid=None)).buyer_id == "小**鱼"


# -- status table -----------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "status"), [
    ("TRADE_NO_CREATE_PAY", OrderStatus.UNPAID),
    ("WAIT_BUYER_PAY", OrderStatus.UNPAID),
    ("PAY_PENDING", OrderStatus.UNPAID),
    ("WAIT_PRE_AUTH_CONFIRM", OrderStatus.UNPAID),
    ("WAIT_SELLER_SEND_GOODS", OrderStatus.PAID),
    ("PAID_FORBID_CONSIGN", OrderStatus.PAID),
    ("SELLER_CONSIGNED_PART", OrderStatus.SHIPPED),
    ("WAIT_BUYER_CONFIRM_GOODS", OrderStatus.SHIPPED),
    ("TRADE_BUYER_SIGNED", OrderStatus.COMPLETED),
    ("TRADE_FINISHED", OrderStatus.COMPLETED),
    ("TRADE_CLOSED", OrderStatus.CLOSED),
    ("TRADE_CLOSED_BY_TAOBAO", OrderStatus.CLOSED),
])
def test_status_table(raw: str, status: OrderStatus) -> None:
    e = trade_event(trade(status=raw))
    assert (e.status, e.raw_status) == (status, raw)


def test_every_spec_status_is_mapped() -> None:
    assert set(STATUS) == set(TRADE_STATUSES)


@pytest.mark.parametrize("refund", ["WAIT_SELLER_AGREE", "WAIT_BUYER_RETURN_GOODS", "WAIT_SELLER_CONFIRM_GOODS"])
@pytest.mark.parametrize("raw", ["WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED"])
def test_an_open_refund_makes_the_order_refunding(raw: str, refund: str) -> None:
    e = trade_event(with_refund(raw, refund))
    assert e.status is OrderStatus.REFUNDING
    assert e.raw_status == f"{raw}/{refund}"
    assert e.extra["refund_status"] == f"{refund},NO_REFUND"


@pytest.mark.parametrize(("raw", "refund", "status"), [
    ("TRADE_CLOSED", "SUCCESS", OrderStatus.CLOSED),  # refunded in full: the trade closed
    ("WAIT_BUYER_CONFIRM_GOODS", "SELLER_REFUSE_BUYER", OrderStatus.SHIPPED),
    ("TRADE_FINISHED", "CLOSED", OrderStatus.COMPLETED),  # the buyer withdrew the request
    ("WAIT_SELLER_SEND_GOODS", "SUCCESS", OrderStatus.PAID),  # one line refunded, the rest still to ship
    ("TRADE_CLOSED", "WAIT_SELLER_AGREE", OrderStatus.CLOSED),  # closed wins over a stale request
])
def test_finished_refunds_leave_the_trade_status(raw: str, refund: str, status: OrderStatus) -> None:
    e = trade_event(with_refund(raw, refund))
    assert (e.status, e.raw_status) == (status, raw)
    assert e.extra["refund_status"].startswith(refund)


# -- flags ------------------------------------------------------------------------------------

def test_the_palette_is_taobaos_0_to_5() -> None:
    info = TaobaoAdapter.info
    assert [(f.value, f.color.value, f.label) for f in info.flags] == [
        (0, "gray", "灰旗"), (1, "red", "红旗"), (2, "yellow", "黄旗"),
        (3, "green", "绿旗"), (4, "blue", "蓝旗"), (5, "purple", "紫旗"),
    ]


@pytest.mark.parametrize("flag", [0, 1, 2, 3, 4, 5])
def test_seller_flags_pass_through_as_the_platform_value(flag: int) -> None:
    assert trade_event(trade(seller_flag=flag)).seller_flag == flag


def test_a_flag_outside_the_palette_is_kept_aside_not_fatal() -> None:
    e = trade_event(trade(seller_flag=9))
    assert e.seller_flag is None and e.extra["seller_flag_raw"] == "9"


# -- malformed records → Temporary ------------------------------------------------------------

@pytest.mark.parametrize(("record", "message"), [
    ([], "trade is list, not an object"),
    (trade(payment=None), "lacks 'payment'"),
    (trade(payment="12,80"), "not an amount in yuan"),
    (trade(payment="-1.00"), "not an amount in yuan"),
    (trade(payment=167.8), "should be a string"),
    (trade(created="2024/05/01 09:12"), "not yyyy-MM-dd HH:mm:ss"),
    (trade(modified=None), "lacks 'modified'"),
    (trade(status="WAIT_SOMETHING_NEW"), "unknown status 'WAIT_SOMETHING_NEW'"),
    (trade(tid=None, tid_str=None), "lacks 'tid'"),
    (trade(seller_flag="2"), "should be an integer"),
    (trade(seller_flag=True), "should be an integer"),
    (trade(buyer_open_uid=None, buyer_nick=None), "neither 'buyer_open_uid' nor 'buyer_nick'"),
    (trade(orders={"order": "none"}), "should be an array of order"),
])
def test_malformed_trades_are_temporary_and_say_what_is_wrong(record: object, message: str) -> None:
    with pytest.raises(Temporary, match="malformed payload from Taobao") as raised:
        trade_event(record)
    assert message in str(raised.value)


@pytest.mark.parametrize(("change", "message"), [
    ({"num": 0}, "quantity 0"),
    ({"price": None}, "lacks 'price'"),
    ({"refund_status": "SOMETHING"}, "unknown refund_status"),
    ({"title": 5}, "should be a string"),
])
def test_malformed_sub_orders_are_temporary(change: dict[str, Any], message: str) -> None:
    record = trade()
    line = record["orders"]["order"][0]
    for key, value in change.items():
        if value is None:
            line.pop(key)
        else:
            line[key] = value
    with pytest.raises(Temporary, match="order 0") as raised:
        trade_event(record)
    assert message in str(raised.value)


def test_increment_trade_lists_in_every_shape() -> None:
    assert trades_of(Record({"total_results": 0}, "r")) == []
    assert trades_of(Record({"trades": {}}, "r")) == []
    assert trades_of(Record({"trades": {"trade": [1]}}, "r")) == [1]
    assert trades_of(Record({"trades": [1]}, "r")) == [1]


def test_fingerprints_tell_changes_apart() -> None:
    assert fingerprint(TRADE) == fingerprint(copy.deepcopy(TRADE))
    assert fingerprint(TRADE) != fingerprint(trade(seller_memo="改了"))


# -- time -------------------------------------------------------------------------------------

def test_times_are_gmt8_whatever_the_input_zone() -> None:
    moment = datetime(2024, 5, 1, 2, 0, 0, tzinfo=timezone.utc)
    assert format_time(moment) == "2024-05-01 10:00:00"
    assert parse_time("2024-05-01 10:00:00") == moment
    with pytest.raises(ValueError):
        parse_time("2024-05-01T10:00:00")


def test_response_keys() -> None:
    assert response_key("taobao.trades.sold.increment.get") == "trades_sold_increment_get_response"
    assert response_key("taobao.trade.memo.update") == "trade_memo_update_response"
    assert response_key("taobao.top.auth.token.create") == "top_auth_token_create_response"


# -- envelopes and error codes ----------------------------------------------------------------

def body(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def test_a_success_envelope_gives_its_result() -> None:
    reply = {"trade_memo_update_response": {"trade": {"tid": 1, "modified": "2024-05-01 10:00:00"}, "request_id": "x"}}
    assert result_of(body(reply), "taobao.trade.memo.update")["trade"]["tid"] == 1


@pytest.mark.parametrize(("raw", "message"), [
    (b"<html>busy</html>", "is not JSON"),
    (b"\xff\xfe", "is not JSON"),
    (body([1, 2]), "is list, not an object"),
    (body({"other_response": {}}), "lacks the 'trade_memo_update_response' object"),
    (body({"trade_memo_update_response": "ok"}), "lacks the 'trade_memo_update_response' object"),
    (body({"error_response": "boom"}), "error_response is str"),
])
def test_malformed_envelopes_are_temporary(raw: bytes, message: str) -> None:
    with pytest.raises(Temporary, match="malformed payload from Taobao") as raised:
        result_of(raw, "taobao.trade.memo.update")
    assert message in str(raised.value)


def err(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"code": code, "msg": msg, "request_id": "r1"}
    if sub_code:
        out["sub_code"] = sub_code
    if sub_msg:
        out["sub_msg"] = sub_msg
    return out


@pytest.mark.parametrize(("error", "kind", "words"), [
    (err(7, "App Call Limited", "accesscontrol.limited-by-app-access-count", "This ban will last for 71 more seconds"),
     RateLimited, "call limit"),
    (err(7, "App Call Limited"), RateLimited, "call limit"),
    (err(15, "Remote service error", "accesscontrol.limited-by-api-access-count", "This ban will last for 2 more seconds"),
     RateLimited, "accesscontrol"),
    (err(25, "Invalid signature"), AuthExpired, "App Secret"),
    (err(99, "Invalid signature"), AuthExpired, "App Secret"),  # the code is [UNVERIFIED]; the message is not
    (err(29, "Invalid app Key"), AuthExpired, "App Key"),
    (err(26, "Missing session"), AuthExpired, "authorize again"),
    (err(27, "Invalid session", "session-expired", "session已过期"), AuthExpired, "authorize again"),
    (err(15, "Remote service error", "session-expired"), AuthExpired, "authorize again"),
    (err(31, "Invalid timestamp"), Temporary, "clock"),
    (err(10, "Service Currently Unavailable"), Temporary, "system error"),
    (err(15, "Remote service error", "isp.remote-service-timeout"), Temporary, "system error"),
    (err(15, "Remote service error", "isv.invalid-parameter:memo", "备注不能超过1000字节"), Rejected, "备注不能超过1000字节"),
    (err(15, "Remote service error", "isv.trade-not-exist", "交易不存在"), Rejected, "isv.trade-not-exist"),
    (err(11, "Insufficient isv permissions"), Rejected, "Insufficient isv permissions"),
])
def test_error_codes_become_typed_errors(error: dict[str, Any], kind: type[Exception], words: str) -> None:
    with pytest.raises(kind) as raised:
        result_of(body({"error_response": error}), "taobao.trade.memo.update")
    assert words in str(raised.value)
    assert "taobao.trade.memo.update" in str(raised.value)


def test_the_ban_length_comes_from_sub_msg() -> None:
    limited = error_from(err(7, "App Call Limited", "accesscontrol.limited-by-app-access-count",
                             "This ban will last for 71 more seconds"), "api")
    assert isinstance(limited, RateLimited) and limited.retry_after == 71
    assert ban_seconds("This ban will last for 0 more seconds") == 1.0  # never "retry at once"
    assert ban_seconds("") == DEFAULT_BAN_S > 0
    assert ban_seconds("请稍后再试") == DEFAULT_BAN_S


def test_rejections_carry_the_platform_message() -> None:
    refused = error_from(err(15, "Remote service error", "isv.invalid-parameter:memo", "备注过长"), "api")
    assert isinstance(refused, Rejected) and refused.reason.startswith("备注过长")


@pytest.mark.parametrize(("status", "kind"), [(502, Temporary), (503, Temporary), (429, RateLimited),
                                              (404, Rejected), (403, Rejected)])
def test_gateway_http_errors(status: int, kind: type[Exception]) -> None:
    assert isinstance(http_error(status, "api"), kind)


def test_unknown_statuses_are_named_in_the_message() -> None:
    with pytest.raises(Temporary, match="3120004567890123456"):
        trade_event(trade(status="NEW"))


def test_modified_is_the_update_time() -> None:
    assert trade_event(trade(modified=format_time(datetime(2024, 5, 2, tzinfo=CHINA_TZ)))).updated_at == \
        datetime(2024, 5, 2, tzinfo=CHINA_TZ)
