"""Doudian orders → OrderEvents, and reply envelopes → typed errors: pure, table-driven."""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from desktop.sdk import AuthExpired, FlagColor, OrderStatus, RateLimited, Rejected, Temporary
from plugins.douyin import fake_data
from plugins.douyin.adapter import DouyinAdapter
from plugins.douyin.mapping import fen, map_order, normalize_status
from plugins.douyin.protocol import RATE_LIMIT_WAIT_S, decode_envelope, error_for, url_for

NOW = 1_718_000_000


def order(scenario: tuple[int, int, int, int] = (2, 0, 0, 0), **changes: Any) -> dict[str, Any]:
    raw = fake_data.make_order(random.Random(3), "6920000000000000001", 45831207, "山野小铺", NOW, scenario)
    raw.update(changes)
    return raw


@pytest.mark.parametrize(("code", "expected"), [
    (1, OrderStatus.UNPAID), (105, OrderStatus.PAID), (2, OrderStatus.PAID), (101, OrderStatus.SHIPPED),
    (3, OrderStatus.SHIPPED), (4, OrderStatus.CLOSED), (5, OrderStatus.COMPLETED),
    (999, OrderStatus.PAID),  # an unknown code does not stop the feed; raw_status keeps it
])
def test_order_status_table(code: int, expected: OrderStatus) -> None:
    assert normalize_status(code, [(0, 0, 0)]) is expected


@pytest.mark.parametrize(("status", "after_sales", "expected"), [
    (3, [(6, 0, 1)], OrderStatus.REFUNDING),  # return + refund applied
    (3, [(7, 0, 1)], OrderStatus.REFUNDING),  # goods on the way back
    (3, [(11, 0, 1)], OrderStatus.REFUNDING),
    (2, [(6, 2, 1)], OrderStatus.REFUNDING),  # refund before shipping
    (5, [(6, 6, 1)], OrderStatus.REFUNDING),  # price protection is money too
    (3, [(6, 3, 0)], OrderStatus.SHIPPED),  # an exchange moves goods, not money
    (3, [(6, 7, 0)], OrderStatus.SHIPPED),  # re-send
    (3, [(12, 1, 3)], OrderStatus.CLOSED),  # the only item refunded
    (3, [(12, 1, 3), (0, 0, 0)], OrderStatus.SHIPPED),  # one of two refunded
    (3, [(12, 1, 3), (12, 0, 3)], OrderStatus.CLOSED),
    (3, [(27, 0, 1)], OrderStatus.SHIPPED),  # refused
    (3, [(28, 0, 1)], OrderStatus.SHIPPED),  # withdrawn: refund_status stays 1, status 28
    (5, [(6, 0, 1), (0, 0, 0)], OrderStatus.REFUNDING),
    (4, [(6, 2, 1)], OrderStatus.CLOSED),
])
def test_after_sales_decide_refunds(status: int, after_sales: list[tuple[int, int, int]],
                                    expected: OrderStatus) -> None:
    assert normalize_status(status, after_sales) is expected


def test_a_full_order_maps_every_field() -> None:
    raw = order((3, 6, 0, 1), seller_words="已联系买家", seller_remark_stars=4, pay_amount=12990, post_amount=600)
    raw["sku_order_list"] = raw["sku_order_list"][:1]
    sku = raw["sku_order_list"][0]
    sku.update(product_name="纯棉短袖T恤", spec=[{"name": "颜色", "value": "奶白色"}, {"name": "尺码", "value": "M"}],
               item_num=2, origin_amount=5900, sku_id=1712345678901234567)
    raw["logistics_info"] = [{"tracking_no": "YT1234567890", "company": "yuantong", "company_name": "圆通速递",
                              "ship_time": NOW - 3600}]
    raw.update(ship_time=0, mask_post_receiver="王*", mask_post_tel="138****6621",
               mask_post_addr={"province": {"name": "浙江省"}, "city": {"name": "杭州市"},
                               "town": {"name": "西湖区"}, "street": {"name": "文新街道"}, "detail": "****"})
    event = map_order(raw)
    assert event.platform_order_id == "6920000000000000001"
    assert event.buyer_id == raw["doudian_open_id"] and event.buyer_nick == ""
    assert event.status is OrderStatus.REFUNDING
    assert event.raw_status == "3 已发货 | 售后 6 售后申请"
    assert event.total == Decimal("129.90") and event.currency == "CNY"
    [item] = event.items
    assert (item.sku_id, item.title, item.quantity, item.unit_price) == (
        "1712345678901234567", "纯棉短袖T恤（奶白色；M）", 2, Decimal("59.00"))
    assert event.receiver_masked == "王* 138****6621 浙江省杭州市西湖区文新街道****"
    assert event.seller_memo == "已联系买家" and event.seller_flag == 4
    assert (event.courier, event.waybill) == ("圆通速递", "YT1234567890")
    assert event.updated_at.utcoffset() == timedelta(hours=8)
    assert event.updated_at.timestamp() == NOW
    assert event.shipped_at is not None and event.shipped_at.timestamp() == NOW - 3600
    assert event.extra["post_amount"] == "6.00"


def test_unpaid_order_has_no_paid_time_and_keeps_the_amount_due() -> None:
    event = map_order(order((1, 0, 0, 0), pay_time=0, pay_amount=0, order_amount=8900))
    assert event.status is OrderStatus.UNPAID and event.paid_at is None and event.shipped_at is None
    assert event.total == Decimal("89.00")


@pytest.mark.parametrize(("amount", "yuan"), [(0, "0.00"), (1, "0.01"), (12990, "129.90"), (100, "1.00"),
                                              (123456789, "1234567.89")])
def test_fen_to_yuan_is_exact(amount: int, yuan: str) -> None:
    assert fen(amount) == Decimal(yuan) and str(fen(amount)) == yuan


def test_the_star_palette_matches_section_8() -> None:
    flags = {f.value: f.color for f in DouyinAdapter.info.flags}
    assert flags == {0: FlagColor.GRAY, 1: FlagColor.PURPLE, 2: FlagColor.CYAN, 3: FlagColor.GREEN,
                     4: FlagColor.ORANGE, 5: FlagColor.RED}
    assert DouyinAdapter.info.memo_max_chars == 60 and DouyinAdapter.info.memo_max_bytes is None
    assert DouyinAdapter.info.memo_problem("备" * 60) is None
    assert DouyinAdapter.info.memo_problem("备" * 61)


@pytest.mark.parametrize(("star", "flag"), [(0, 0), (1, 1), (5, 5), (6, None), (-1, None)])
def test_stars_read_back_as_flags(star: int, flag: int | None) -> None:
    event = map_order(order(seller_remark_stars=star))
    assert event.seller_flag == flag
    assert ("seller_remark_stars" in event.extra) is (flag is None)


def _without(key: str) -> dict[str, Any]:
    raw = order()
    del raw[key]
    return raw


def _sku(**changes: Any) -> dict[str, Any]:
    raw = order()
    raw["sku_order_list"][0].update(changes)
    return raw


@pytest.mark.parametrize(("raw", "words"), [
    ("not an order", "is str, not an object"),
    (_without("order_id"), "missing 'order_id'"),
    (order(order_id=""), "empty order_id"),
    (order(order_id=6920000000000000001), "'order_id' should be a string"),
    (_without("order_status"), "missing 'order_status'"),
    (order(pay_amount="129.90"), "'pay_amount' should be an integer"),
    (order(pay_amount=True), "'pay_amount' should be an integer"),
    (order(update_time=0), "'update_time' is not a time"),
    (_without("create_time"), "missing 'create_time'"),
    (order(sku_order_list={}), "'sku_order_list' should be an array"),
    (_sku(item_num=0), "item_num 0"),
    (_sku(sku_id=None), "sku_id"),
    (_sku(origin_amount=59.0), "'origin_amount' should be an integer"),
    (order(mask_post_addr="浙江省"), "mask_post_addr is str"),
])
def test_malformed_orders_are_temporary_and_say_what(raw: Any, words: str) -> None:
    with pytest.raises(Temporary, match="malformed payload from 抖店") as raised:
        map_order(copy.deepcopy(raw))
    assert words in str(raised.value)


# -- envelopes -------------------------------------------------------------------------------------
def envelope(code: int, sub_code: str = "", msg: str = "x", sub_msg: str = "") -> dict[str, Any]:
    return {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg, "log_id": "20240610ABC"}


@pytest.mark.parametrize(("code", "sub_code", "error"), [
    (40003, "isv.signature-invalid", AuthExpired),
    (40003, "isv.access-token-expired", AuthExpired),
    (40003, "isv.access-token-no-existed", AuthExpired),
    (40003, "isv.access-token-invalid", AuthExpired),
    (40001, "isv.access-token-missing", AuthExpired),
    (30001, "dop.authorization-no-existed", AuthExpired),
    (30001, "dop.authorization-closed", AuthExpired),
    (30001, "isv.app-permissions-insufficient", Rejected),
    (40001, "isv.signature-missing", Rejected),
    (40003, "isv.parameter-format-invalid", Rejected),
    (40003, "isv.timestamp-invalid", Rejected),
    (60000, "isv.traffic-limited", RateLimited),
    (60000, "", RateLimited),
    (20000, "dop.service-error", Temporary),
    (90000, "dop.unknown-error", Temporary),
    (70000, "isp.api-service-off", Rejected),
    (50001, "dop.token-generate-failed:code-expired", AuthExpired),
    (50001, "dop.token-generate-failed:token-expired", AuthExpired),
    (50001, "dop.token-generate-failed:token-invalid", AuthExpired),
    (50001, "dop.token-generate-failed", Temporary),
    (50002, "isv.business-failed:order-not-found", Rejected),
])
def test_error_codes_map_to_typed_errors(code: int, sub_code: str, error: type[Exception]) -> None:
    raised = error_for("order.searchList", envelope(code, sub_code, sub_msg="平台说明"))
    assert type(raised) is error
    assert "平台说明" in str(raised) and sub_code in str(raised) and "20240610ABC" in str(raised)
    if isinstance(raised, RateLimited):
        assert raised.retry_after == RATE_LIMIT_WAIT_S > 0


def test_token_failure_reason_may_sit_in_sub_msg() -> None:
    assert isinstance(error_for("token.create", envelope(50001, "dop.token-generate-failed", sub_msg="code-expired")),
                      AuthExpired)


def test_a_business_refusal_keeps_the_platform_message() -> None:
    raised = error_for("order.addOrderRemark", envelope(50002, "isv.business-failed", "业务处理失败", "订单不存在"))
    assert isinstance(raised, Rejected) and "订单不存在" in raised.reason


@pytest.mark.parametrize(("status", "body", "error", "words"), [
    (502, b"<html>bad gateway</html>", Temporary, "HTTP 502"),
    (500, b'{"code":10000}', Temporary, "HTTP 500"),
    (429, b"", RateLimited, "HTTP 429"),
    (404, b"not found", Rejected, "HTTP 404"),
    (200, b"<html>", Temporary, "not UTF-8 JSON"),
    (200, b"\xff\xfe", Temporary, "not UTF-8 JSON"),
    (200, b"[]", Temporary, "not an object"),
    (200, b'{"msg":"success"}', Temporary, "no integer `code`"),
    (200, b'{"code":"10000"}', Temporary, "no integer `code`"),
    (200, b'{"code":10000,"data":[]}', Temporary, "`data` is list"),
])
def test_bad_replies(status: int, body: bytes, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words.replace("`", ".")):
        decode_envelope("order.searchList", status, body)


def test_a_good_reply_gives_its_data() -> None:
    assert decode_envelope("m", 200, b'{"code":10000,"msg":"success","data":{"total":0}}') == {"total": 0}
    assert decode_envelope("m", 200, b'{"code":10000,"msg":"success","data":null}') == {}


def test_method_becomes_the_path() -> None:
    assert url_for("https://openapi-fxg.jinritemai.com/", "order.searchList") == (
        "https://openapi-fxg.jinritemai.com/order/searchList")
    assert url_for("http://127.0.0.1:9", "token.create") == "http://127.0.0.1:9/token/create"


def test_times_are_china_local_and_aware() -> None:
    event = map_order(order())
    assert event.created_at.tzinfo is not None
    assert event.created_at <= event.updated_at == datetime.fromtimestamp(NOW).astimezone()
