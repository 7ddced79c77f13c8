"""Webhook signatures, the creation ping and the pure reading of a delivery (research/platform-apis.md
§7), the published vector byte for byte."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from plugins.woocommerce.fake import WooCommerceFake
from plugins.woocommerce.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    ID_HEADER,
    RESOURCE_HEADER,
    SIGNATURE_HEADER,
    SOURCE_HEADER,
    TOPIC_HEADER,
    deleted_order_id,
    from_site,
    order_body,
    php_json,
    ping_webhook_id,
    signing_key,
    topic_of,
    verify_webhook,
    webhook_signature,
)

# DERIVED (§7): base64(HMAC-SHA256(secret, body))
SECRET = "my-webhook-secret"
BODY = b'{"id":727,"status":"processing","customer_note":""}'
SIGNATURE = "h3OIipYnJIUAYZ2HERA+rkg6YdQrBxPoQY6QpyFjvKA="


def test_the_derived_vector() -> None:
    assert webhook_signature(BODY, SECRET) == SIGNATURE
    assert verify_webhook(BODY, SIGNATURE, SECRET) is True


@pytest.mark.parametrize(("body", "header", "secret"), [
    (BODY + b" ", SIGNATURE, SECRET),  # one byte more
    (BODY.replace(b"processing", b"completed"), SIGNATURE, SECRET),  # tampered
    (BODY, SIGNATURE, "my-webhook-secreT"),  # wrong secret
    (BODY, SIGNATURE.lower(), SECRET),  # base64 is case-sensitive
    (BODY, "", SECRET),
    (BODY, SIGNATURE, ""),
    (BODY, "h3OIipYnJIUAYZ2HERA+rkg6YdQrBxPoQY6QpyFjvKA", SECRET),  # padding cut
    (BODY, "签名", SECRET),  # not ASCII
])
def test_anything_else_does_not_verify(body: bytes, header: str, secret: str) -> None:
    assert verify_webhook(body, header, secret) is False


def test_surrounding_blanks_of_the_header_are_tolerated() -> None:
    assert verify_webhook(BODY, f" {SIGNATURE}\r\n", SECRET) is True


def test_the_raw_body_is_what_is_signed_not_its_json() -> None:
    reencoded = json.dumps(json.loads(BODY)).encode()  # `{"id": 727, …}`: same data, other bytes
    assert verify_webhook(reencoded, SIGNATURE, SECRET) is False


@pytest.mark.parametrize(("body", "expected"), [
    (b"webhook_id=17", 17),
    (b"webhook_id=17\n", 17),
    (b"webhook_id=", None),
    (b"webhook_id=abc", None),
    (b"webhook_id=17&x=1", None),
    (b'{"webhook_id":17}', None),
    (BODY, None),
    (b"", None),
])
def test_the_creation_ping(body: bytes, expected: int | None) -> None:
    assert ping_webhook_id(body) == expected


def test_the_fakes_deliveries_verify_and_its_ping_is_unsigned() -> None:
    with WooCommerceFake() as fake:
        order_id = fake.add_orders(1)[0]
        headers, body = fake.webhook_delivery(order_id)
        assert verify_webhook(body, headers[SIGNATURE_HEADER], fake.webhook_secret)
        assert not verify_webhook(body, headers[SIGNATURE_HEADER], "another-secret")
        assert json.loads(body)["id"] == int(order_id) and ping_webhook_id(body) is None
        ping_headers, ping = fake.ping_delivery()
        assert SIGNATURE_HEADER not in ping_headers and ping_webhook_id(ping) == fake.webhook_id


def test_the_derived_vector_through_php_json() -> None:
    """The vector's body is exactly what wp_json_encode makes of that order fragment."""
    assert php_json({"id": 727, "status": "processing", "customer_note": ""}) == BODY


def test_php_json_escapes_slashes_and_non_ascii_as_php_does() -> None:
    assert php_json({"href": "/wp-json/wc/v3/orders/1", "name": "龙井 &amp; 茶"}) == \
        b'{"href":"\\/wp-json\\/wc\\/v3\\/orders\\/1","name":"\\u9f99\\u4e95 &amp; \\u8336"}'


@pytest.mark.parametrize(("secret", "key"), [
    ("my-webhook-secret", "my-webhook-secret"),
    ("a&amp;b", "a&b"), ("a&lt;b&gt;", "a<b>"), ("&quot;&#039;&#x27;", "\"''"),
    ("&#0060;&#62;&#x026;&#X22;", "<>&\""),  # numeric forms with leading zeros, hex in any case
    ("&amp;lt;", "&lt;"),  # one pass only, as strtr
    ("&eacute;&nbsp;&LT;", "&eacute;&nbsp;&LT;"),  # only & < > " ' are decoded, case-sensitively
])
def test_the_signing_key_is_the_secret_html_decoded_as_wordpress_does(secret: str, key: str) -> None:
    assert signing_key(secret) == key
    digest = hmac.new(key.encode(), BODY, hashlib.sha256).digest()
    assert webhook_signature(BODY, secret) == base64.b64encode(digest).decode()


@pytest.mark.parametrize(("topic", "resource", "event", "expected"), [
    ("order.updated", "", "", "order.updated"), (" Order.Created ", "", "", "order.created"),
    ("", "order", "deleted", "order.deleted"), ("", "order", "", ""), ("", "", "", ""),
])
def test_the_topic(topic: str, resource: str, event: str, expected: str) -> None:
    assert topic_of(topic, resource, event) == expected


@pytest.mark.parametrize(("source", "base_url", "ok"), [
    ("https://shop.example.cn/", "https://shop.example.cn", True),
    ("https://SHOP.example.cn/", "https://shop.example.cn/wp-json/wc/v3", True),
    ("https://shop.example.cn/blog/", "https://shop.example.cn/blog", True),
    ("https://www.shop.example.cn/", "https://shop.example.cn", True),
    ("", "https://shop.example.cn", True),  # before WooCommerce 2.6: the signature alone
    ("https://staging.shop.example.cn/", "https://shop.example.cn", False),
    ("https://shop.example.cn.evil.test/", "https://shop.example.cn", False),
    ("https://shop.example.cn/", "", False),
])
def test_the_source_site(source: str, base_url: str, ok: bool) -> None:
    assert from_site(source, base_url) is ok


def test_order_bodies() -> None:
    assert order_body(BODY)["id"] == 727
    assert deleted_order_id(b'{"id":727}') == "727"
    for bad in (b"[]", b"\xff", b"{", b'{"order":{"id":727}}'):
        with pytest.raises(ValueError):
            order_body(bad)
    for bad in (b'{"id":"727"}', b'{"id":0}', b'{"id":true}', b"[727]", b"x"):
        with pytest.raises(ValueError):
            deleted_order_id(bad)


def test_the_fakes_delivery_carries_the_headers_woocommerce_sends() -> None:
    with WooCommerceFake() as fake:
        order_id = fake.add_orders(1)[0]
        headers, body = fake.webhook_for(order_id)
        assert body == php_json(fake.shop.get_order(int(order_id))), "the order as GET /orders/{id} renders it"
        assert (headers[TOPIC_HEADER], headers[RESOURCE_HEADER], headers[EVENT_HEADER]) == \
            ("order.updated", "order", "updated")
        assert headers[SOURCE_HEADER] == fake.url + "/" and headers[ID_HEADER] == str(fake.webhook_id)
        assert len(headers[DELIVERY_HEADER]) == 32 and headers["User-Agent"].startswith("WooCommerce/")
        assert b"\\/wp-json\\/wc\\/v3\\/orders" in body and body.isascii()
        headers, body = fake.webhook_delivery(order_id, "order.deleted")
        assert body == b'{"id":%d}' % int(order_id) and verify_webhook(body, headers[SIGNATURE_HEADER],
                                                                       fake.webhook_secret)
