"""Webhook signatures and the creation ping (research/platform-apis.md §7), the published vector
byte for byte."""

from __future__ import annotations

import json

import pytest

from plugins.woocommerce.fake import WooCommerceFake
from plugins.woocommerce.webhooks import SIGNATURE_HEADER, ping_webhook_id, verify_webhook, webhook_signature

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
