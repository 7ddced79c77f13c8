"""WooCommerce webhook deliveries [SPEC] §7, as pure functions: the signature check and the ping.

Not wired to a push stream: a desktop app has no public URL for WooCommerce to POST to, so the
adapter does not declare Capability.PUSH. A relay that receives the deliveries can use these.

- `X-WC-Webhook-Signature` = base64(HMAC-SHA256(key = the webhook secret, msg = the raw body)).
- On creation WooCommerce POSTs a ping with the form body `webhook_id=<id>`, unsigned and not
  JSON, and keeps the webhook only if the answer is HTTP 200 (`deliver_ping`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

SIGNATURE_HEADER = "X-WC-Webhook-Signature"
TOPIC_HEADER = "X-WC-Webhook-Topic"
RESOURCE_HEADER = "X-WC-Webhook-Resource"
EVENT_HEADER = "X-WC-Webhook-Event"
ID_HEADER = "X-WC-Webhook-ID"
DELIVERY_HEADER = "X-WC-Webhook-Delivery-ID"
SOURCE_HEADER = "X-WC-Webhook-Source"

_PING = re.compile(rb"webhook_id=(\d+)")


def webhook_signature(body: bytes, secret: str) -> str:
    """What WooCommerce puts in X-WC-Webhook-Signature for `body` (WC_Webhook::generate_signature,
    with the default algorithm sha256)."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_webhook(body: bytes, signature_header: str, secret: str) -> bool:
    """Whether `signature_header` is WooCommerce's signature of exactly these body bytes. Compare
    the raw body as received: re-encoded JSON would not match. An empty secret or header never
    verifies."""
    if not secret or not signature_header:
        return False
    expected = webhook_signature(body, secret)
    try:
        given = signature_header.strip().encode("ascii")
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(expected.encode("ascii"), given)


def ping_webhook_id(body: bytes) -> int | None:
    """The webhook id if `body` is WooCommerce's creation ping (`webhook_id=N`), else None. A ping
    carries no signature and no event: answer it 200 and ingest nothing."""
    match = _PING.fullmatch(body.strip())
    return int(match.group(1)) if match else None
