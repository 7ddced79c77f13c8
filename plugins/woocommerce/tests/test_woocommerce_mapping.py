"""Pure mapping: statuses (refunds included), money, buyers and receivers, notes as the memo, the
error envelope and HTTP statuses, malformed payloads, and the site address rules."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from desktop.sdk import AuthExpired, OrderStatus, RateLimited, Rejected, Temporary
from plugins.woocommerce.mapping import (
    decode_json,
    fingerprint,
    http_failure,
    latest_memo,
    order_event,
    order_ident,
    same_note,
    total_pages,
)
from plugins.woocommerce.protocol import api_root, format_gmt, parse_time

# The order of the spec's source (WC-DOCS _orders.md, "List all orders", order 723), trimmed
DOC_ORDER: dict[str, Any] = {
    "id": 723, "parent_id": 0, "number": "723", "order_key": "wc_order_58d17c18352", "created_via": "checkout",
    "version": "3.0.0", "status": "completed", "currency": "USD",
    "date_created": "2017-03-21T16:16:00", "date_created_gmt": "2017-03-21T19:16:00",
    "date_modified": "2017-03-21T16:54:51", "date_modified_gmt": "2017-03-21T19:54:51",
    "discount_total": "0.00", "shipping_total": "10.00", "total": "39.00", "total_tax": "0.00",
    "customer_id": 26, "customer_note": "",
    "billing": {"first_name": "João", "last_name": "Silva", "company": "", "address_1": "Av. Brasil, 432",
                "address_2": "", "city": "Rio de Janeiro", "state": "RJ", "postcode": "12345-000",
                "country": "BR", "email": "joao.silva@example.com", "phone": "(11) 1111-1111"},
    "shipping": {"first_name": "João", "last_name": "Silva", "company": "", "address_1": "Av. Brasil, 432",
                 "address_2": "", "city": "Rio de Janeiro", "state": "RJ", "postcode": "12345-000", "country": "BR"},
    "payment_method": "bacs", "payment_method_title": "Direct bank transfer", "transaction_id": "",
    "date_paid": None, "date_paid_gmt": None,
    "date_completed": "2017-03-21T16:54:51", "date_completed_gmt": "2017-03-21T19:54:51",
    "line_items": [
        {"id": 311, "name": "Woo Album #2", "product_id": 87, "variation_id": 0, "quantity": 1,
         "subtotal": "9.00", "total": "9.00", "sku": "", "price": 9},
        {"id": 316, "name": "Ship Your Idea &ndash; Color: Black, Size: M Test", "product_id": 22,
         "variation_id": 23, "quantity": 1, "subtotal": "12.00", "total": "12.00", "sku": "Bar3", "price": 12},
    ],
    "refunds": [{"id": 726, "refund": "", "total": "-10.00"}, {"id": 724, "refund": "", "total": "-9.00"}],
}


def order(**changes: Any) -> dict[str, Any]:
    made = copy.deepcopy(DOC_ORDER)
    made.update(changes)
    return made


# -- status ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "paid", "expected"), [
    ("pending", None, OrderStatus.UNPAID),
    ("failed", None, OrderStatus.UNPAID),  # the buyer may pay again
    ("checkout-draft", None, OrderStatus.UNPAID),
    ("on-hold", None, OrderStatus.UNPAID),  # awaiting a bank transfer
    ("on-hold", "2017-03-21T19:20:00", OrderStatus.PAID),  # held after payment
    ("processing", "2017-03-21T19:20:00", OrderStatus.PAID),  # core has no "shipped"
    ("completed", "2017-03-21T19:20:00", OrderStatus.COMPLETED),
    ("cancelled", None, OrderStatus.CLOSED),
    ("refunded", "2017-03-21T19:20:00", OrderStatus.CLOSED),  # a WooCommerce refund is done when recorded
    ("trash", None, OrderStatus.CLOSED),
    ("wc-awaiting-shipment", "2017-03-21T19:20:00", OrderStatus.PAID),  # a plugin's status: by date_paid
    ("wc-quote", None, OrderStatus.UNPAID),
])
def test_status_table(raw: str, paid: str | None, expected: OrderStatus) -> None:
    event = order_event(order(status=raw, date_paid_gmt=paid), "")
    assert event.status is expected and event.raw_status == raw


def test_refunds_are_summed_and_kept_beside_the_status() -> None:
    partial = order_event(order(), "")  # completed, refunds of 10 and 9
    assert partial.status is OrderStatus.COMPLETED and partial.extra["refunded"] == "19.00"
    full = order_event(order(status="refunded", refunds=[{"id": 9, "reason": "", "total": "-39.00"}]), "")
    assert full.status is OrderStatus.CLOSED and full.extra["refunded"] == "39.00"
    assert "refunded" not in order_event(order(refunds=[]), "").extra


# -- money, items, times -------------------------------------------------------------------------------
def test_the_docs_order_maps_field_by_field() -> None:
    event = order_event(DOC_ORDER, "客户要求改地址")
    assert event.platform_order_id == "723" and event.buyer_id == "26" and event.buyer_nick == "João Silva"
    assert event.total == Decimal("39.00") and isinstance(event.total, Decimal) and event.currency == "USD"
    assert event.created_at == datetime(2017, 3, 21, 19, 16, 0, tzinfo=UTC)  # the *_gmt fields are UTC
    assert event.updated_at == datetime(2017, 3, 21, 19, 54, 51, tzinfo=UTC)
    assert event.paid_at is None and event.shipped_at is None and event.extra["completed_at"].startswith("2017-03-21T19:54:51")
    assert [(i.sku_id, i.title, i.quantity, i.unit_price) for i in event.items] == [
        ("87", "Woo Album #2", 1, Decimal("9.00")),
        ("Bar3", "Ship Your Idea – Color: Black, Size: M Test", 1, Decimal("12.00")),  # entities decoded
    ]
    assert event.seller_memo == "客户要求改地址" and event.seller_flag is None
    assert event.extra["payment_method"] == "Direct bank transfer"


def test_money_keeps_the_orders_currency_and_decimals() -> None:
    yen = order_event(order(currency="jpy", total="1500", line_items=[
        {"id": 1, "name": "抹茶", "product_id": 5, "variation_id": 0, "quantity": 3, "sku": "", "price": 500.0}]), "")
    assert yen.currency == "JPY" and yen.total == Decimal("1500") and yen.items[0].unit_price == Decimal("500")
    thirds = order_event(order(currency="CNY", total="10.00", line_items=[
        {"id": 1, "name": "x", "product_id": 5, "variation_id": 7, "quantity": 3, "sku": "", "price": 3.3333333333333335}]), "")
    assert thirds.items[0].unit_price == Decimal("3.33") and thirds.items[0].sku_id == "7"


def test_lines_edited_down_to_nothing_are_left_out() -> None:
    lines = [{"id": 1, "name": "x", "product_id": 5, "variation_id": 0, "quantity": 0, "sku": "", "price": 0}]
    assert order_event(order(line_items=lines), "").items == ()


# -- buyer and receiver: name, city and country only ---------------------------------------------------
def test_a_guest_gets_a_stable_id_that_is_not_the_email() -> None:
    one = order_event(order(customer_id=0), "")
    two = order_event(order(id=800, customer_id=0), "")
    assert one.buyer_id == two.buyer_id and one.buyer_id.startswith("guest-")
    assert "joao" not in one.buyer_id and "example" not in one.buyer_id
    no_email = order(customer_id=0)
    no_email["billing"]["email"] = ""
    assert order_event(no_email, "").buyer_id == "guest-order-723"


def test_the_receiver_is_name_city_and_country_and_nothing_more() -> None:
    event = order_event(DOC_ORDER, "")
    assert event.receiver_masked == "João Silva Rio de Janeiro, BR"
    shown = " ".join([event.receiver_masked, event.buyer_nick, event.buyer_id, *event.extra.values()])
    for private in ("Av. Brasil", "12345-000", "1111-1111", "joao.silva@example.com", "RJ"):
        assert private not in shown


def test_chinese_names_are_family_name_first() -> None:
    cn = {"first_name": "小明", "last_name": "王", "city": "上海市", "country": "CN",
          "address_1": "xx路1号", "email": "a@b.cn", "phone": "13800000000"}
    event = order_event(order(billing=cn, shipping={k: v for k, v in cn.items() if k not in ("email", "phone")}), "")
    assert event.buyer_nick == "王小明" and event.receiver_masked == "王小明 上海市, CN"


def test_an_empty_shipping_address_falls_back_to_billing() -> None:
    assert order_event(order(shipping=[]), "").receiver_masked == "João Silva Rio de Janeiro, BR"


# -- malformed payloads → Temporary with a clear message -----------------------------------------------
@pytest.mark.parametrize(("changes", "words"), [
    ({"id": None}, "lacks a positive integer 'id'"),
    ({"id": "abc"}, "lacks a positive integer 'id'"),
    ({"total": "39,00"}, "field 'total' is not an amount"),
    ({"total": None}, "field 'total' should be an amount"),
    ({"total": "-1.00"}, "total is negative"),
    ({"currency": "US$"}, "currency is not an ISO 4217 code"),
    ({"status": ""}, "lacks its status"),
    ({"date_created_gmt": "21/03/2017"}, "'date_created_gmt' is not an ISO 8601 time"),
    ({"date_created_gmt": None}, "lacks the time 'date_created_gmt'"),
    ({"line_items": {"0": {}}}, "'line_items' should be an array"),
    ({"line_items": [{"quantity": "2", "price": 1}]}, "quantity is not a whole number"),
    ({"refunds": [{"total": "minus ten"}]}, "refunds[0]"),
    ({"customer_id": -3}, "customer_id is not an id"),
])
def test_malformed_orders_are_temporary_and_say_what(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(Temporary, match="malformed payload from WooCommerce") as raised:
        order_event(order(**changes), "")
    assert words in str(raised.value)


def test_a_non_object_order_is_temporary() -> None:
    with pytest.raises(Temporary, match="is list, not an object"):
        order_event([], "")


def test_the_cursor_reads_id_and_modified_second() -> None:
    assert order_ident(DOC_ORDER, 0) == ("723", 1490126091)
    assert order_ident(order(date_modified_gmt=None), 0)[1] == 1490123760  # falls back to created
    assert fingerprint(DOC_ORDER) == fingerprint(copy.deepcopy(DOC_ORDER))
    assert fingerprint(DOC_ORDER) != fingerprint(order(status="refunded"))


# -- notes → memo ----------------------------------------------------------------------------------------
def note(note_id: int, text: str, at: str, *, author: str = "店长小王", customer: bool = False) -> dict[str, Any]:
    return {"id": note_id, "author": author, "date_created": at, "date_created_gmt": at, "note": text,
            "customer_note": customer}


def test_the_memo_is_the_latest_private_note_a_person_wrote() -> None:
    notes = [
        note(9, "订单状态已从处理中更改为已完成。", "2024-05-01T03:00:00", author="system"),  # WooCommerce's own
        note(8, "您的包裹已发出", "2024-05-01T02:59:00", customer=True),  # shown to (and mailed to) the buyer
        note(6, "第一次备注", "2024-05-01T02:00:00"),
        note(7, "改成顺丰", "2024-05-01T02:00:00"),  # same second: the higher id is the later
        note(5, "更早的备注", "2024-05-01T01:00:00"),
    ]
    assert latest_memo(notes, "723") == "改成顺丰"
    assert latest_memo(notes[:2], "723") == "" and latest_memo([], "723") == ""


def test_notes_that_are_not_a_list_are_temporary() -> None:
    with pytest.raises(Temporary, match="notes of order 723"):
        latest_memo({"id": 1}, "723")


def test_same_note_ignores_what_wordpress_strips() -> None:
    assert same_note("C:pathfile ", "C:\\path\\file")
    assert not same_note("改成顺丰", "改成圆通")


# -- errors: HTTP status + {"code", "message", "data": {"status"}} ---------------------------------------
def reply(status: int, code: str = "", message: str = "", **headers: str) -> httpx.Response:
    body = {"code": code, "message": message, "data": {"status": status}} if code else {}
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(("response", "kind", "words"), [
    (reply(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."), AuthExpired, "cannot list"),
    (reply(401, "woocommerce_rest_authentication_error", "Consumer key is invalid."), AuthExpired, "key is invalid"),
    (reply(401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match."),
     AuthExpired, "Invalid signature"),
    (reply(401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions."),
     AuthExpired, "write permissions"),
    (reply(403, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."), AuthExpired, "cannot list"),
    (reply(403), Rejected, "HTTP 403"),  # a firewall page, not WordPress
    (reply(500, "internal_server_error", "<p>There has been a critical error on this website.</p>"), Temporary, "critical"),
    (reply(502), Temporary, "HTTP 502"),
    (reply(503), Temporary, "HTTP 503"),
    (reply(400, "rest_invalid_param", "Invalid parameter(s): per_page"), Rejected, "Invalid parameter(s): per_page"),
    (reply(404, "woocommerce_rest_order_invalid_id", "Invalid order ID."), Rejected, "Invalid order ID."),
    (reply(404, "rest_no_route", "No route was found matching the URL and request method."), Rejected, "pretty permalinks"),
    (reply(301, Location="https://www.shop.example/wp-json/wc/v3/orders"), Rejected, "www.shop.example"),
])
def test_http_failures_are_typed(response: httpx.Response, kind: type[Exception], words: str) -> None:
    failure = http_failure(response, "order list")
    assert isinstance(failure, kind) and words in str(failure)


def test_the_call_limit_waits_as_told_or_a_minute() -> None:
    told = http_failure(reply(429, **{"Retry-After": "30"}), "order list")
    assert isinstance(told, RateLimited) and told.retry_after == 30
    untold = http_failure(reply(429, **{"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), "order list")
    assert isinstance(untold, RateLimited) and untold.retry_after == 60


def test_success_is_no_failure_and_html_is_malformed() -> None:
    assert http_failure(httpx.Response(201, json={}), "order note") is None
    with pytest.raises(Temporary, match="is not JSON"):
        decode_json(httpx.Response(200, text="<html>Briefly unavailable for scheduled maintenance.</html>"), "order list")


def test_paging_headers() -> None:
    assert total_pages(httpx.Headers({"X-WP-Total": "23", "X-WP-TotalPages": "3"}), "order list") == 3
    assert total_pages(httpx.Headers({}), "order list") is None
    with pytest.raises(Temporary, match="X-WP-TotalPages"):
        total_pages(httpx.Headers({"X-WP-Total": "23", "X-WP-TotalPages": "three"}), "order list")


# -- the site address -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("base", "root"), [
    ("https://shop.example.cn", "https://shop.example.cn/wp-json/wc/v3"),
    (" https://shop.example.cn/ ", "https://shop.example.cn/wp-json/wc/v3"),
    ("https://example.cn/shop", "https://example.cn/shop/wp-json/wc/v3"),  # WordPress in a folder
    ("https://shop.example.cn/wp-json", "https://shop.example.cn/wp-json/wc/v3"),
    ("https://shop.example.cn/wp-json/wc/v3/", "https://shop.example.cn/wp-json/wc/v3"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/wp-json/wc/v3"),  # a local test server
    ("http://localhost", "http://localhost/wp-json/wc/v3"),
])
def test_the_api_root(base: str, root: str) -> None:
    assert api_root({"base_url": base}) == root


@pytest.mark.parametrize(("base", "words"), [
    (None, "enter the shop's site address"),
    ("", "enter the shop's site address"),
    ("http://shop.example.cn", "OAuth 1.0a"),  # plain HTTP needs signatures we do not make
    ("ftp://shop.example.cn", "not a web address"),
    ("shop.example.cn", "not a web address"),
    ("https://shop.example.cn/?x=1", "without ?query"),
    (42, "must be a URL"),
])
def test_unusable_addresses_are_refused(base: object, words: str) -> None:
    with pytest.raises(Rejected) as raised:
        api_root({"base_url": base})
    assert words in str(raised.value)


def test_times() -> None:
    assert format_gmt(1714528800) == "2024-05-01T02:00:00"
    assert parse_time("2024-05-01T02:00:00") == datetime(2024, 5, 1, 2, tzinfo=UTC)
    assert parse_time("2024-05-01T10:00:00+08:00") == datetime(2024, 5, 1, 2, tzinfo=UTC)
    assert parse_time("2024-05-01T02:00:00Z") == datetime(2024, 5, 1, 2, tzinfo=UTC)
