"""Shopify order nodes → OrderEvent: the status table (incl. refunds), money in the shop's
currency, buyers and guests, and malformed payloads → Temporary with a clear message."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from desktop.sdk import OrderStatus, Temporary, WarehouseStage
from plugins.shopify.mapping import fingerprint, order_event, order_status, orders_page, raw_status


def money(amount: str, currency: str = "EUR") -> dict[str, Any]:
    return {"shopMoney": {"amount": amount, "currencyCode": currency}}


def node(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "gid://shopify/Order/5600000000042", "name": "#1042",
        "createdAt": "2026-11-02T07:30:00Z", "updatedAt": "2026-11-02T08:05:09Z",
        "processedAt": "2026-11-02T07:30:00Z", "cancelledAt": None, "closed": False,
        "displayFinancialStatus": "PAID", "displayFulfillmentStatus": "FULFILLED", "returnStatus": "NO_RETURN",
        "note": "客户要求礼盒包装", "tags": ["礼盒", " "],
        "totalPriceSet": money("218.50"),
        "customer": {"id": "gid://shopify/Customer/7400000000031", "displayName": "王小明",
                     "tags": ["VIP", "老客"]},
        "shippingAddress": {"formattedArea": "Paris, Île-de-France, France"},
        "lineItems": {"nodes": [
            {"sku": "SILK-PJ-CHAMP-M", "title": "真丝睡衣套装", "variantTitle": "香槟色 / M", "quantity": 2,
             "originalUnitPriceSet": money("89.00"), "variant": {"id": "gid://shopify/ProductVariant/44000000000"}},
            {"sku": None, "title": "杭州丝巾", "variantTitle": "Default Title", "quantity": 1,
             "originalUnitPriceSet": money("40.50"), "variant": {"id": "gid://shopify/ProductVariant/44000000097"}},
        ]},
        "fulfillments": [
            {"createdAt": "2026-11-02T09:00:00Z", "trackingInfo": [{"company": "4PX", "number": "4PX0001CN"}]},
            {"createdAt": "2026-11-02T08:00:00Z", "trackingInfo": [{"company": "YunExpress", "number": "YT123"}]},
        ],
    }
    base.update(changes)
    return base


# -- status -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("financial", "fulfillment", "returns", "cancelled", "closed", "status"), [
    ("PENDING", "UNFULFILLED", "NO_RETURN", False, False, OrderStatus.UNPAID),
    ("PARTIALLY_PAID", "UNFULFILLED", "NO_RETURN", False, False, OrderStatus.UNPAID),
    ("AUTHORIZED", "UNFULFILLED", "NO_RETURN", False, False, OrderStatus.PAID),
    ("PAID", "UNFULFILLED", "NO_RETURN", False, False, OrderStatus.PAID),
    ("PAID", "IN_PROGRESS", "NO_RETURN", False, False, OrderStatus.PAID),
    ("PAID", "ON_HOLD", "NO_RETURN", False, False, OrderStatus.PAID),
    ("PAID", "PARTIALLY_FULFILLED", "NO_RETURN", False, False, OrderStatus.SHIPPED),
    ("PAID", "FULFILLED", "NO_RETURN", False, False, OrderStatus.SHIPPED),
    ("PENDING", "FULFILLED", "NO_RETURN", False, False, OrderStatus.SHIPPED),  # cash on delivery, on its way
    ("PAID", "FULFILLED", "NO_RETURN", False, True, OrderStatus.COMPLETED),
    ("PAID", "FULFILLMENT_NOT_REQUIRED", "NO_RETURN", False, False, OrderStatus.COMPLETED),
    ("PAID", "UNFULFILLED", "NO_RETURN", False, True, OrderStatus.COMPLETED),
    # refunds and returns
    ("PAID", "FULFILLED", "RETURN_REQUESTED", False, False, OrderStatus.REFUNDING),
    ("PAID", "FULFILLED", "IN_PROGRESS", False, False, OrderStatus.REFUNDING),
    ("PAID", "FULFILLED", "INSPECTION_COMPLETE", False, True, OrderStatus.REFUNDING),
    ("PAID", "FULFILLED", "RETURNED", False, False, OrderStatus.REFUNDING),
    ("PARTIALLY_REFUNDED", "FULFILLED", "NO_RETURN", False, False, OrderStatus.REFUNDING),
    ("PARTIALLY_REFUNDED", "UNFULFILLED", "NO_RETURN", False, False, OrderStatus.REFUNDING),
    ("PARTIALLY_REFUNDED", "FULFILLED", "RETURNED", False, True, OrderStatus.COMPLETED),  # settled, archived
    ("PAID", "FULFILLED", "RETURN_FAILED", False, False, OrderStatus.SHIPPED),
    ("REFUNDED", "FULFILLED", "RETURNED", False, False, OrderStatus.CLOSED),
    ("REFUNDED", "UNFULFILLED", "NO_RETURN", True, True, OrderStatus.CLOSED),
    ("VOIDED", "UNFULFILLED", "NO_RETURN", True, False, OrderStatus.CLOSED),
    ("EXPIRED", "UNFULFILLED", "NO_RETURN", False, False, OrderStatus.CLOSED),
    ("PAID", "RESTOCKED", "NO_RETURN", False, False, OrderStatus.CLOSED),
    ("PAID", "UNFULFILLED", "NO_RETURN", True, False, OrderStatus.CLOSED),  # cancelled, refund to follow
])
def test_status_table(financial: str, fulfillment: str, returns: str, cancelled: bool, closed: bool,
                      status: OrderStatus) -> None:
    assert order_status(financial, fulfillment, returns, cancelled=cancelled, closed=closed) is status


def test_raw_status_keeps_every_part() -> None:
    assert raw_status("PAID", "UNFULFILLED", "NO_RETURN", cancelled=False, closed=False) == "PAID/UNFULFILLED"
    assert (raw_status("PARTIALLY_REFUNDED", "FULFILLED", "RETURN_REQUESTED", cancelled=False, closed=False)
            == "PARTIALLY_REFUNDED/FULFILLED/RETURN_REQUESTED")
    assert raw_status("REFUNDED", "UNFULFILLED", "", cancelled=True, closed=True) == "REFUNDED/UNFULFILLED/CANCELLED"
    assert raw_status("PAID", "FULFILLED", "NO_RETURN", cancelled=False, closed=True) == "PAID/FULFILLED/CLOSED"


# -- a whole order ---------------------------------------------------------------------------------------------
def test_order_event_from_a_full_node() -> None:
    event = order_event(node())
    assert event.platform_order_id == "5600000000042"
    assert (event.buyer_id, event.buyer_nick) == ("7400000000031", "王小明")
    assert event.status is OrderStatus.SHIPPED and event.raw_status == "PAID/FULFILLED"
    assert event.total == Decimal("218.50") and isinstance(event.total, Decimal)
    assert event.currency == "EUR"  # the shop's currency, not assumed CNY
    assert [(i.sku_id, i.title, i.quantity, i.unit_price) for i in event.items] == [
        ("SILK-PJ-CHAMP-M", "真丝睡衣套装 - 香槟色 / M", 2, Decimal("89.00")),
        ("44000000097", "杭州丝巾", 1, Decimal("40.50")),  # no SKU: the variant stands in
    ]
    assert event.created_at == datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
    assert event.updated_at == datetime(2026, 11, 2, 8, 5, 9, tzinfo=UTC)
    assert event.paid_at == event.created_at
    assert event.shipped_at == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # the first fulfillment
    assert (event.courier, event.waybill) == ("YunExpress", "YT123")
    assert event.receiver_masked == "Paris, Île-de-France, France"
    assert (event.seller_memo, event.seller_flag) == ("客户要求礼盒包装", None)
    assert event.warehouse is WarehouseStage.UNKNOWN
    assert event.extra == {"order_name": "#1042", "order_tags": "礼盒", "buyer_tags": "VIP,老客"}


def test_zero_decimal_currency_and_integer_amounts() -> None:
    event = order_event(node(totalPriceSet={"shopMoney": {"amount": "12800.0", "currencyCode": "jpy"}},
                             lineItems={"nodes": []}))
    assert (event.total, event.currency, event.items) == (Decimal("12800.0"), "JPY", ())


def test_guest_checkout_and_no_details() -> None:
    event = order_event(node(customer=None, shippingAddress=None, note=None, tags=[], fulfillments=[],
                             displayFinancialStatus="PENDING", displayFulfillmentStatus="UNFULFILLED"))
    assert (event.buyer_id, event.buyer_nick) == ("guest-5600000000042", "访客")
    assert "buyer_tags" not in event.extra and "order_tags" not in event.extra
    assert (event.receiver_masked, event.seller_memo, event.paid_at, event.shipped_at) == ("", "", None, None)
    assert event.status is OrderStatus.UNPAID


def test_customer_without_a_readable_name() -> None:
    event = order_event(node(customer={"id": "gid://shopify/Customer/9", "tags": []}))
    assert (event.buyer_id, event.buyer_nick, event.extra["buyer_tags"]) == ("9", "顾客 9", "")


# -- malformed payloads ------------------------------------------------------------------------------------------
def _without(path: str) -> dict[str, Any]:
    data = node()
    target: Any = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    del target[keys[-1]]
    return data


@pytest.mark.parametrize(("payload", "words"), [
    ("not an object", "is not an object"),
    (node(id="5600000000042"), "no Order id"),
    (node(id="gid://shopify/Customer/1"), "no Order id"),
    (_without("totalPriceSet"), "no shopMoney"),
    (node(totalPriceSet=money("12,00")), "unreadable amount"),
    (node(totalPriceSet=money("NaN")), "unreadable amount"),
    (node(totalPriceSet={"shopMoney": {"amount": 12.5, "currencyCode": "EUR"}}), "not a decimal text"),
    (node(totalPriceSet={"shopMoney": {"amount": "12.50"}}), "no ISO currency"),
    (node(updatedAt="02/11/2026 08:05"), "unreadable time"),
    (node(createdAt="2026-11-02T07:30:00"), "without a zone"),
    (node(closed="false"), "boolean `closed`"),
    (node(customer={"displayName": "x"}), "customer without a Customer id"),
    (node(customer="7400000000031"), "customer that is not an object"),
    (node(tags="礼盒,VIP"), "tags that are not a list"),
    (_without("lineItems"), "no lineItems"),
    (node(lineItems={"nodes": [{"title": "x", "quantity": 0, "originalUnitPriceSet": money("1")}]}),
     "no positive quantity"),
    (node(lineItems={"nodes": [{"quantity": 1, "originalUnitPriceSet": money("1")}]}), "no text `title`"),
    (node(fulfillments=[{"createdAt": None, "trackingInfo": []}]), "time that is not text"),
])
def test_malformed_orders_are_temporary_with_a_clear_message(payload: Any, words: str) -> None:
    with pytest.raises(Temporary, match="malformed Shopify reply") as raised:
        order_event(payload)
    assert words in str(raised.value)


@pytest.mark.parametrize(("data", "words"), [
    ({}, "no `orders` connection"),
    ({"orders": {"pageInfo": {"hasNextPage": False}}}, "no list of order nodes"),
    ({"orders": {"nodes": [], "pageInfo": {}}}, "no pageInfo.hasNextPage"),
    ({"orders": {"nodes": [], "pageInfo": {"hasNextPage": True, "endCursor": None}}}, "gives no endCursor"),
    ({"orders": {"nodes": [], "pageInfo": {"hasNextPage": False, "endCursor": 7}}}, "endCursor that is not text"),
])
def test_malformed_pages(data: dict[str, Any], words: str) -> None:
    with pytest.raises(Temporary, match=words):
        orders_page(data)


def test_orders_page_and_fingerprint() -> None:
    one = node()
    assert orders_page({"orders": {"nodes": [one], "pageInfo": {"hasNextPage": True, "endCursor": "abc"}}}) == (
        [one], True, "abc")
    same = copy.deepcopy(one)
    assert fingerprint(one) == fingerprint(same)
    same["customer"]["tags"].append("wholesale")  # a change elsewhere than updatedAt counts too
    assert fingerprint(one) != fingerprint(same)
