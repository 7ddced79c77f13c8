"""WooCommerce webhook deliveries [SPEC] §7, as pure functions: the signature check, the creation
ping, the topics an order push cares about and the site a delivery comes from.

The adapter's `push()` (research/platform-apis.md §7; desktop.sdk.push) reads the deliveries the
SeatDesk receiver queues for the shop and uses these to answer and read each one.

- `X-WC-Webhook-Signature` = base64(HMAC-SHA256(key = the webhook secret, msg = the raw body)).
  [CORE] WC_Webhook::generate_signature keys the HMAC with `wp_specialchars_decode(secret,
  ENT_QUOTES)`: a secret holding `&amp;`, `&lt;`… signs with the decoded characters (`signing_key`).
- On creation WooCommerce POSTs a ping with the form body `webhook_id=<id>`, unsigned and not
  JSON, and keeps the webhook only if the answer is exactly HTTP 200 (`deliver_ping`).
- [CORE] WC_Webhook::build_payload: `order.created`, `order.updated` and `order.restored` carry
  the order as GET /orders/{id} of the webhook's API version renders it (the shape the feed
  maps); `order.deleted` (hooked to `wp_trash_post`: moved to the trash) carries only `{"id": N}`.
  The body is `wp_json_encode`d: `/` escaped as `\\/`, non-ASCII as `\\uXXXX`.
- [CORE] X-WC-Webhook-Source is `home_url('/')`, the site's own address; a 2xx (or 301/302)
  answer resets the failure count, and a webhook with more than 5 consecutive failures is
  disabled. WooCommerce never sends a failed delivery again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-WC-Webhook-Signature"
TOPIC_HEADER = "X-WC-Webhook-Topic"
RESOURCE_HEADER = "X-WC-Webhook-Resource"
EVENT_HEADER = "X-WC-Webhook-Event"
ID_HEADER = "X-WC-Webhook-ID"
DELIVERY_HEADER = "X-WC-Webhook-Delivery-ID"
SOURCE_HEADER = "X-WC-Webhook-Source"

ORDER_BODY_TOPICS = frozenset({"order.created", "order.updated", "order.restored"})  # body = the order
ORDER_DELETED = "order.deleted"  # body = {"id": N}: the order was moved to the trash

_PING = re.compile(rb"webhook_id=(\d+)")


# -- the signature --------------------------------------------------------------------------------
# [CORE] wp_specialchars_decode( $string, ENT_QUOTES ): numeric forms are normalised first (any
# number of leading zeros, hex case-insensitive), then one strtr pass over the named and numeric
# entities of & < > " '. Nothing else is decoded.
_NORMALISE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"&#0*39;"), "&#039;"), (re.compile(r"&#x0*27;", re.IGNORECASE), "&#x27;"),
    (re.compile(r"&#0*34;"), "&#034;"), (re.compile(r"&#x0*22;", re.IGNORECASE), "&#x22;"),
    (re.compile(r"&#0*60;"), "&#060;"), (re.compile(r"&#0*62;"), "&#062;"),
    (re.compile(r"&#0*38;"), "&#038;"), (re.compile(r"&#x0*26;", re.IGNORECASE), "&#x26;"),
)
_ENTITIES = {"&#039;": "'", "&#x27;": "'", "&quot;": '"', "&#034;": '"', "&#x22;": '"',
             "&lt;": "<", "&#060;": "<", "&gt;": ">", "&#062;": ">", "&amp;": "&", "&#038;": "&",
             "&#x26;": "&"}
_ENTITY = re.compile("|".join(re.escape(name) for name in sorted(_ENTITIES, key=len, reverse=True)))


def signing_key(secret: str) -> str:
    """The HMAC key WooCommerce uses for `secret` (wp_specialchars_decode with ENT_QUOTES)."""
    if "&" not in secret:
        return secret
    for pattern, normal in _NORMALISE:
        secret = pattern.sub(normal, secret)
    return _ENTITY.sub(_decoded, secret)


def _decoded(match: re.Match[str]) -> str:
    return _ENTITIES[match.group(0)]


def webhook_signature(body: bytes, secret: str) -> str:
    """What WooCommerce puts in X-WC-Webhook-Signature for `body` (WC_Webhook::generate_signature,
    with the default algorithm sha256)."""
    digest = hmac.new(signing_key(secret).encode("utf-8"), body, hashlib.sha256).digest()
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


# -- reading a delivery ----------------------------------------------------------------------------
def topic_of(topic_header: str, resource_header: str, event_header: str) -> str:
    """`order.updated` from X-WC-Webhook-Topic, else from its Resource and Event headers."""
    topic = topic_header.strip().lower()
    if topic:
        return topic
    resource, event = resource_header.strip().lower(), event_header.strip().lower()
    return f"{resource}.{event}" if resource and event else ""


def from_site(source_header: str, base_url: str) -> bool:
    """Whether a delivery's X-WC-Webhook-Source (the site's home_url) names the shop's own site.

    Hosts are compared, not whole URLs: WordPress may live in a sub-folder or serve its REST API
    below another path than its home page, and base_url may already be the /wp-json address; a
    `www.` in front of one of them is not a different site. A delivery without the header
    (WooCommerce before 2.6) is taken on its signature alone."""
    source = source_header.strip()
    if not source:
        return True
    shop_host = _host(base_url)
    return bool(shop_host) and _host(source) == shop_host


def _host(url: str) -> str:
    """The host of a URL, lower-case, without a leading `www.` (a site answering on both)."""
    host = urlsplit(url.strip()).hostname or ""
    return host.removeprefix("www.")


def _decoded_json(body: bytes, topic: str) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{topic} body is not UTF-8 JSON ({type(exc).__name__})") from None


def order_body(body: bytes) -> dict[str, object]:
    """The order object of an order.created / updated / restored body; ValueError names what is
    wrong. A webhook set to the legacy API renders `{"order": {...}}`, which the mapping does not
    read: it is named plainly so the user can switch the webhook to the REST API v3."""
    payload = _decoded_json(body, "order")
    if not isinstance(payload, dict):
        raise ValueError(f"order body is {type(payload).__name__}, not an object")
    if set(payload) == {"order"}:
        raise ValueError("is a legacy API payload: set the webhook's API version to WP REST API Integration v3")
    return payload


def deleted_order_id(body: bytes) -> str:
    """The order id of an `order.deleted` body `{"id": N}`; ValueError names what is wrong."""
    payload = _decoded_json(body, "order.deleted")
    order_id = payload.get("id") if isinstance(payload, dict) else None
    if isinstance(order_id, bool) or not isinstance(order_id, int) or order_id <= 0:
        raise ValueError("order.deleted body lacks a positive integer id")
    return str(order_id)


def php_json(payload: object) -> bytes:
    """`wp_json_encode($payload)` as WooCommerce sends a body: compact, `/` as `\\/`, non-ASCII as
    lower-case `\\uXXXX` (PHP's json_encode without flags)."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")
