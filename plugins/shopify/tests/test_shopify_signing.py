"""Shopify's HMAC checks against the published vectors ([SPEC] research/platform-apis.md §6)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from plugins.shopify.signing import (
    callback_hmac,
    callback_message,
    verify_callback,
    verify_webhook,
    webhook_hmac,
)

# DERIVED vector, §6 "Webhooks"
WEBHOOK_SECRET = "hush"
WEBHOOK_BODY = b'{"id":820982911946154508,"email":"jon@example.com","note":"VIP"}'
WEBHOOK_HMAC = "aARojNI5/ZO1ZV1iCuKdj7wiP/zRmjQQbZQsf8cBsi0="

# VERIFIED-IN-SOURCE vector, §6 "OAuth" (SHOPIFY-PY test/session_test.py test_hmac_validation)
CALLBACK = {
    "shop": "some-shop.myshopify.com",
    "code": "a94a110d86d2452eb3e2af4cfb8a3828",
    "timestamp": "1337178173",
    "hmac": "2cb1a277650a659f1b11e92a4a64275b128e037f2c3390e3c8fd2d8721dac9e2",
}
CALLBACK_MESSAGE = "code=a94a110d86d2452eb3e2af4cfb8a3828&shop=some-shop.myshopify.com&timestamp=1337178173"


# -- webhooks -----------------------------------------------------------------------------------------------
def test_webhook_vector() -> None:
    assert webhook_hmac(WEBHOOK_BODY, WEBHOOK_SECRET) == WEBHOOK_HMAC
    assert verify_webhook(WEBHOOK_BODY, WEBHOOK_HMAC, WEBHOOK_SECRET)
    assert verify_webhook(WEBHOOK_BODY, f" {WEBHOOK_HMAC}\n", WEBHOOK_SECRET)  # header whitespace


@pytest.mark.parametrize(("body", "header", "secret"), [
    (WEBHOOK_BODY.replace(b"VIP", b"VIP "), WEBHOOK_HMAC, WEBHOOK_SECRET),  # body changed
    (b'{"id": 820982911946154508, "email": "jon@example.com", "note": "VIP"}', WEBHOOK_HMAC,
     WEBHOOK_SECRET),  # same JSON, re-serialised: the raw bytes are what is signed
    (WEBHOOK_BODY, WEBHOOK_HMAC, "hush2"),  # wrong secret
    (WEBHOOK_BODY, WEBHOOK_HMAC.lower(), WEBHOOK_SECRET),  # base64 is case-sensitive
    (WEBHOOK_BODY, "", WEBHOOK_SECRET),
    (WEBHOOK_BODY, WEBHOOK_HMAC, ""),
])
def test_webhook_refusals(body: bytes, header: str, secret: str) -> None:
    assert not verify_webhook(body, header, secret)


# -- the OAuth callback ---------------------------------------------------------------------------------------
def test_callback_vector() -> None:
    assert callback_message(CALLBACK) == CALLBACK_MESSAGE
    assert callback_hmac(CALLBACK, "hush") == CALLBACK["hmac"]
    assert verify_callback(CALLBACK, "hush")
    assert verify_callback({**CALLBACK, "hmac": CALLBACK["hmac"].upper()}, "hush")


def test_callback_escaping_vector() -> None:
    """SHOPIFY-PY test_hmac_calculation_with_ampersand_and_equal_sign_characters."""
    params = {"a": "1&b=2", "c=3&d": "4"}
    assert callback_message(params) == "a=1%26b=2&c%3D3%26d=4"
    expected = hmac.new(b"secret", b"a=1%26b=2&c%3D3%26d=4", hashlib.sha256).hexdigest()
    assert callback_hmac(params, "secret") == expected


def test_callback_array_parameters_are_json_lists() -> None:
    """`ids[]=1&ids[]=2` is signed as `ids=["1", "2"]` (SHOPIFY-PY shopify/session.py)."""
    assert callback_message({"ids[]": ["1", "2"], "shop": "s.myshopify.com"}) == 'ids=["1", "2"]&shop=s.myshopify.com'
    assert callback_message({"percent": "100%"}) == "percent=100%25"


@pytest.mark.parametrize("params", [
    {**CALLBACK, "code": "a94a110d86d2452eb3e2af4cfb8a3829"},  # tampered
    {**CALLBACK, "extra": "1"},  # a parameter added after signing
    {k: v for k, v in CALLBACK.items() if k != "hmac"},  # unsigned
    {**CALLBACK, "hmac": ""},
])
def test_callback_refusals(params: dict[str, str]) -> None:
    assert not verify_callback(params, "hush")


def test_callback_older_than_a_day_is_refused() -> None:
    signed_at = int(CALLBACK["timestamp"])
    assert verify_callback(CALLBACK, "hush", now=signed_at + 3600)
    assert not verify_callback(CALLBACK, "hush", now=signed_at + 24 * 3600 + 1)
    assert not verify_callback({k: v for k, v in CALLBACK.items() if k != "timestamp"} | {"hmac": callback_hmac(
        {k: v for k, v in CALLBACK.items() if k not in ("timestamp", "hmac")}, "hush")}, "hush", now=signed_at)
    assert not verify_callback(CALLBACK, "", now=signed_at)
