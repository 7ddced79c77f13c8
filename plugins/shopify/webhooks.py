"""Shopify webhook deliveries as pure data ([SPEC] research/platform-apis.md §6): the
headers, which topics concern an order, and where each payload names it.

Headers (the receiver lower-cases them; `WebhookDelivery.header` finds either case):
`X-Shopify-Topic`, `X-Shopify-Hmac-SHA256` (base64 HMAC-SHA256 of the raw body keyed with
the app's client secret, signing.verify_webhook), `X-Shopify-Shop-Domain`,
`X-Shopify-API-Version`, `X-Shopify-Webhook-Id` (the same on Shopify's retries of one
delivery: the dedupe key), `X-Shopify-Event-Id` (the same on every duplicate of one event,
shopify.dev/docs/apps/build/webhooks/ignore-duplicates), `X-Shopify-Triggered-At`.

A payload is the REST resource of its topic: the order topics carry the order itself
(`id`, `admin_graphql_api_id`, ...); `orders/edited` carries `{"order_edit": {"order_id"}}`;
the fulfillment, refund and transaction topics name their order as `order_id`. Shopify
gives a delivery 1 s to connect and 5 s to be answered, then retries 8 times over 4 hours.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping

from .protocol import legacy_id

TOPIC_HEADER = "X-Shopify-Topic"
HMAC_HEADER = "X-Shopify-Hmac-SHA256"
SHOP_HEADER = "X-Shopify-Shop-Domain"
API_VERSION_HEADER = "X-Shopify-API-Version"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"
EVENT_ID_HEADER = "X-Shopify-Event-Id"
TRIGGERED_AT_HEADER = "X-Shopify-Triggered-At"

# Topics whose payload is the order itself.
ORDER_TOPICS = frozenset({"orders/create", "orders/updated", "orders/paid", "orders/fulfilled",
                          "orders/partially_fulfilled", "orders/cancelled"})
ORDER_EDITED = "orders/edited"  # {"order_edit": {"order_id": ...}}
# Topics whose payload names its order as `order_id`.
ORDER_CHILD_TOPICS = frozenset({"fulfillments/create", "fulfillments/update", "refunds/create",
                                "order_transactions/create"})
ORDER_DELETED = "orders/delete"  # nothing left to read: the order is gone
APP_UNINSTALLED = "app/uninstalled"  # the token stops working
# What a shop subscribes to (webhookSubscriptionCreate topics): orders/updated comes with
# every change of an order (paid, fulfilled, cancelled, edited, a new note or tag).
SUBSCRIBE_TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED", "APP_UNINSTALLED")

SEEN_MAX = 2000  # delivery ids a running push remembers


class MalformedDelivery(ValueError):
    """An order topic whose body names no order (logged; the pulls catch the order)."""


def _order_gid(value: object, where: str) -> str:
    """A GID (`gid://shopify/Order/1`) or a numeric id (a JSON number or digits) → the GID."""
    if isinstance(value, str) and legacy_id(value, "Order") is not None:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"gid://shopify/Order/{value}"
    if isinstance(value, str) and value.isdigit():
        return f"gid://shopify/Order/{value}"
    raise MalformedDelivery(f"{where} is not an order id")


def _payload(body: bytes) -> Mapping[str, object]:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise MalformedDelivery("the body is not JSON") from None
    if not isinstance(payload, Mapping):
        raise MalformedDelivery("the body is not a JSON object")
    return payload


def order_gid(topic: str, body: bytes) -> str | None:
    """The GID of the order a delivery of `topic` concerns, or None for a topic that concerns
    no order to read. Raises MalformedDelivery when an order topic's body names none."""
    if topic in ORDER_TOPICS:
        payload = _payload(body)
        gid = payload.get("admin_graphql_api_id")
        if isinstance(gid, str) and legacy_id(gid, "Order") is not None:
            return gid
        return _order_gid(payload.get("id"), "`id`")
    if topic == ORDER_EDITED:
        edit = _payload(body).get("order_edit")
        if not isinstance(edit, Mapping):
            raise MalformedDelivery("an orders/edited body has no `order_edit` object")
        return _order_gid(edit.get("order_id"), "`order_edit.order_id`")
    if topic in ORDER_CHILD_TOPICS:
        return _order_gid(_payload(body).get("order_id"), "`order_id`")
    return None


class SeenIds:
    """The most recent SEEN_MAX delivery keys, oldest forgotten first."""

    def __init__(self, size: int = SEEN_MAX) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def repeat(self, key: str) -> bool:
        """Whether `key` came before; remembers it either way. An empty key is never a repeat."""
        if not key:
            return False
        if key in self._keys:
            self._keys.move_to_end(key)
            return True
        self._keys[key] = None
        if len(self._keys) > self._size:
            self._keys.popitem(last=False)
        return False
