"""Shopify's two HMAC checks, as pure functions ([SPEC] research/platform-apis.md §6):
webhook deliveries (base64 HMAC-SHA256 of the raw body) and the OAuth callback query
(lowercase hex HMAC-SHA256 of the sorted, escaped parameters). Requests to the Admin API
themselves are not signed: they carry the access token header."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence

from desktop.sdk.signing import constant_time_equal, hmac_hex

CALLBACK_MAX_AGE_S = 24 * 3600  # "reject timestamps older than 24 h" [SPEC] §6


# -- webhooks ----------------------------------------------------------------------------------------------
def webhook_hmac(body: bytes, secret: str) -> str:
    """The `X-Shopify-Hmac-SHA256` value Shopify sends with `body`: base64(HMAC-SHA256(secret, raw body))."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_webhook(body: bytes, header_hmac: str, secret: str) -> bool:
    """Whether a webhook delivery is genuine. `body` must be the raw bytes as received (a
    re-serialised JSON does not match); the comparison takes constant time."""
    if not secret or not header_hmac:
        return False
    return constant_time_equal(webhook_hmac(body, secret), header_hmac.strip())


# -- the OAuth callback -------------------------------------------------------------------------------------
Params = Mapping[str, str | Sequence[str]]


def callback_message(params: Params) -> str:
    """The string Shopify signs for a callback: every parameter but `hmac`, `k=v` with `%` → `%25`
    (key and value), `=` → `%3D` in keys, `&` → `%26` in the pair, sorted and joined with `&`;
    a `name[]` array becomes `name=["a", "b"]` (SHOPIFY-PY shopify/session.py)."""
    pairs = []
    for key, value in params.items():
        if key == "hmac":
            continue
        if key.endswith("[]"):
            key = key[:-2]
            items = [value] if isinstance(value, str) else list(value)
            text = json.dumps([str(v) for v in items])
        elif isinstance(value, str):
            text = value
        else:
            raise ValueError(f"callback parameter {key!r} has several values")
        key = key.replace("%", "%25").replace("=", "%3D")
        pairs.append(f"{key}={text.replace('%', '%25')}".replace("&", "%26"))
    return "&".join(sorted(pairs))


def callback_hmac(params: Params, secret: str) -> str:
    return hmac_hex(secret, callback_message(params), "sha256")


def verify_callback(params: Params, secret: str, *, now: float | None = None) -> bool:
    """Whether an OAuth redirect's query came from Shopify: the `hmac` matches (constant time)
    and, when `now` (epoch seconds) is given, `timestamp` is at most a day old."""
    given = params.get("hmac")
    if not secret or not isinstance(given, str) or not given:
        return False
    if now is not None:
        stamp = params.get("timestamp")
        if not isinstance(stamp, str) or not stamp.isdigit() or int(stamp) < now - CALLBACK_MAX_AGE_S:
            return False
    try:
        expected = callback_hmac(params, secret)
    except ValueError:
        return False
    return constant_time_equal(expected, given.strip().lower())
