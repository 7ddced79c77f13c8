"""Shopify order nodes (as `orders_query` selects them) → OrderEvent, as pure functions.

Status: Shopify has no single order status; it reports a financial status, a fulfillment
status, a return status, `cancelledAt` and `closed` (archived). `order_status` folds them
into the normalized OrderStatus (table below, tested); `raw_status` keeps them all.
Money: `totalPriceSet.shopMoney` — Decimal in the shop's own currency (any ISO code).
Buyer: the customer's numeric id; a guest checkout has no customer, so the order stands in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.sdk import OrderEvent, OrderItem, OrderStatus, WarehouseStage

from .envelope import malformed
from .protocol import legacy_id

GUEST_PREFIX = "guest-"  # buyer id of an order without a customer record: guest-<order id>

# Financial statuses that mean the money has reached (or is held for) the shop.
_PAID = frozenset({"PAID", "PARTIALLY_REFUNDED", "REFUNDED", "AUTHORIZED"})
_UNPAID = frozenset({"PENDING", "PARTIALLY_PAID"})
_DEAD = frozenset({"REFUNDED", "VOIDED", "EXPIRED"})
_SHIPPED = frozenset({"FULFILLED", "PARTIALLY_FULFILLED"})
_RETURNING = frozenset({"RETURN_REQUESTED", "IN_PROGRESS", "INSPECTION_COMPLETE"})


def order_status(financial: str, fulfillment: str, returns: str, *, cancelled: bool, closed: bool) -> OrderStatus:
    """Shopify's statuses → OrderStatus, first rule that applies:

    1. cancelled → CLOSED
    2. financial REFUNDED / VOIDED / EXPIRED (all money back, or never captured) → CLOSED
    3. a return requested, in progress or being inspected → REFUNDING
    4. PARTIALLY_REFUNDED, or items RETURNED, on an order still open → REFUNDING
       (an archived one is settled and falls through)
    5. FULFILLED / PARTIALLY_FULFILLED → COMPLETED if archived, else SHIPPED
    6. RESTOCKED (every item back in stock) → CLOSED
    7. PENDING / PARTIALLY_PAID (money still due) → UNPAID
    8. archived, or nothing to ship (FULFILLMENT_NOT_REQUIRED) → COMPLETED
    9. otherwise (PAID / AUTHORIZED, not shipped yet) → PAID
    """
    if cancelled or financial in _DEAD:
        return OrderStatus.CLOSED
    if returns in _RETURNING:
        return OrderStatus.REFUNDING
    if (financial == "PARTIALLY_REFUNDED" or returns == "RETURNED") and not closed:
        return OrderStatus.REFUNDING
    if fulfillment in _SHIPPED:
        return OrderStatus.COMPLETED if closed else OrderStatus.SHIPPED
    if fulfillment == "RESTOCKED":
        return OrderStatus.CLOSED
    if financial in _UNPAID:
        return OrderStatus.UNPAID
    if closed or fulfillment == "FULFILLMENT_NOT_REQUIRED":
        return OrderStatus.COMPLETED
    return OrderStatus.PAID


def raw_status(financial: str, fulfillment: str, returns: str, *, cancelled: bool, closed: bool) -> str:
    """E.g. "PAID/UNFULFILLED", "PARTIALLY_REFUNDED/FULFILLED/RETURN_REQUESTED", "VOIDED/UNFULFILLED/CANCELLED"."""
    parts = [financial or "UNKNOWN", fulfillment or "UNKNOWN"]
    if returns and returns != "NO_RETURN":
        parts.append(returns)
    if cancelled:
        parts.append("CANCELLED")
    elif closed:
        parts.append("CLOSED")
    return "/".join(parts)


# -- field readers (malformed → Temporary naming the field) -------------------------------------------
def _text(node: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = node.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise malformed(where, f"has no text `{key}` ({value!r})")
    return value


def parse_time(value: object, where: str) -> datetime:
    """A Shopify DateTime (ISO-8601, UTC "Z") → an aware datetime."""
    if not isinstance(value, str):
        raise malformed(where, f"has a time that is not text ({value!r})")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise malformed(where, f"has an unreadable time {value!r}") from None
    if moment.tzinfo is None:
        raise malformed(where, f"has a time without a zone {value!r}")
    return moment


def _opt_time(node: Mapping[str, Any], key: str, where: str) -> datetime | None:
    value = node.get(key)
    return None if value is None else parse_time(value, f"{where} {key}")


def money(bag: object, where: str) -> tuple[Decimal, str]:
    """A MoneyBag (`{shopMoney: {amount, currencyCode}}`) → (Decimal, ISO currency)."""
    shop_money = bag.get("shopMoney") if isinstance(bag, Mapping) else None
    if not isinstance(shop_money, Mapping):
        raise malformed(where, "has no shopMoney")
    amount, currency = shop_money.get("amount"), shop_money.get("currencyCode")
    if isinstance(amount, bool) or not isinstance(amount, (str, int)):
        raise malformed(where, f"has an amount that is not a decimal text ({amount!r})")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise malformed(where, f"has an unreadable amount {amount!r}") from None
    if not value.is_finite():
        raise malformed(where, f"has an unreadable amount {amount!r}")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise malformed(where, f"has no ISO currency code ({currency!r})")
    return value, currency.upper()


def _list(node: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise malformed(where, f"has `{key}` that is not a list")
    return value


def _tags(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise malformed(where, "has tags that are not a list of texts")
    return [t.strip() for t in value if t.strip()]


# -- the order ----------------------------------------------------------------------------------------------
def order_id_of(node: Mapping[str, Any]) -> str:
    raw = node.get("id")
    number = legacy_id(raw, "Order") if isinstance(raw, str) else None
    if number is None:
        raise malformed("order", f"has no Order id ({raw!r})")
    return number


def _items(node: Mapping[str, Any], where: str) -> tuple[OrderItem, ...]:
    lines = node.get("lineItems")
    if not isinstance(lines, Mapping):
        raise malformed(where, "has no lineItems")
    items = []
    for index, line in enumerate(_list(lines, "nodes", where)):
        at = f"{where} line {index + 1}"
        if not isinstance(line, Mapping):
            raise malformed(at, "is not an object")
        quantity = line.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise malformed(at, f"has no positive quantity ({quantity!r})")
        price, _ = money(line.get("originalUnitPriceSet"), f"{at} originalUnitPriceSet")
        variant = line.get("variant")
        variant_id = variant.get("id") if isinstance(variant, Mapping) else None
        sku = _text(line, "sku", at) or (legacy_id(variant_id, "ProductVariant") or ""
                                         if isinstance(variant_id, str) else "")
        title = _text(line, "title", at, required=True)
        variant_title = _text(line, "variantTitle", at)
        if variant_title and variant_title != "Default Title":
            title = f"{title} - {variant_title}"
        items.append(OrderItem(sku_id=sku, title=title, quantity=quantity, unit_price=price))
    return tuple(items)


def _shipping(node: Mapping[str, Any], where: str) -> tuple[datetime | None, str, str]:
    """(first shipped time, courier, waybill) from the order's fulfillments."""
    fulfillments = [f for f in _list(node, "fulfillments", where) if isinstance(f, Mapping)]
    if not fulfillments:
        return None, "", ""
    times = [parse_time(f.get("createdAt"), f"{where} fulfillment") for f in fulfillments]
    first = fulfillments[times.index(min(times))]
    tracking = [t for t in _list(first, "trackingInfo", where) if isinstance(t, Mapping)]
    company = _text(tracking[0], "company", where) if tracking else ""
    number = _text(tracking[0], "number", where) if tracking else ""
    return min(times), company, number


def order_event(node: object) -> OrderEvent:
    """One order node → OrderEvent; anything missing or mistyped → Temporary."""
    if not isinstance(node, Mapping):
        raise malformed("order", "is not an object")
    order_id = order_id_of(node)
    where = f"order {order_id}"
    financial = _text(node, "displayFinancialStatus", where)
    fulfillment = _text(node, "displayFulfillmentStatus", where)
    returns = _text(node, "returnStatus", where)
    closed = node.get("closed")
    if not isinstance(closed, bool):
        raise malformed(where, f"has no boolean `closed` ({closed!r})")
    cancelled = node.get("cancelledAt") is not None
    total, currency = money(node.get("totalPriceSet"), f"{where} totalPriceSet")
    status = order_status(financial, fulfillment, returns, cancelled=cancelled, closed=closed)
    extra = {"order_name": _text(node, "name", where)}
    order_tags = _tags(node.get("tags"), where)
    if order_tags:
        extra["order_tags"] = ",".join(order_tags)

    customer = node.get("customer")
    if customer is None:
        buyer_id, nick = GUEST_PREFIX + order_id, "访客"
    elif isinstance(customer, Mapping):
        raw = customer.get("id")
        number = legacy_id(raw, "Customer") if isinstance(raw, str) else None
        if number is None:
            raise malformed(where, f"has a customer without a Customer id ({raw!r})")
        buyer_id = number
        nick = _text(customer, "displayName", where) or f"顾客 {number}"
        extra["buyer_tags"] = ",".join(_tags(customer.get("tags"), f"{where} customer"))
    else:
        raise malformed(where, "has a customer that is not an object")

    address = node.get("shippingAddress")
    area = _text(address, "formattedArea", where) if isinstance(address, Mapping) else ""
    shipped_at, courier, waybill = _shipping(node, where)
    processed = _opt_time(node, "processedAt", where)
    # Shopify has no "paid at" on the order; for the usual automatic capture it is the
    # moment the order was processed (checkout), so that stands in for paid orders.
    paid_at = processed if financial in _PAID else None
    return OrderEvent(
        platform_order_id=order_id,
        buyer_id=buyer_id,
        buyer_nick=nick,
        status=status,
        raw_status=raw_status(financial, fulfillment, returns, cancelled=cancelled, closed=closed),
        items=_items(node, where),
        total=total,
        currency=currency,
        created_at=parse_time(node.get("createdAt"), f"{where} createdAt"),
        updated_at=parse_time(node.get("updatedAt"), f"{where} updatedAt"),
        paid_at=paid_at,
        shipped_at=shipped_at,
        receiver_masked=area,  # city, province, country at most: Shopify sends no more (we ask no more)
        seller_memo=_text(node, "note", where),
        seller_flag=None,  # Shopify has no flag palette
        courier=courier,
        waybill=waybill,
        warehouse=WarehouseStage.UNKNOWN,  # Shopify reports no warehouse stage
        extra=extra,
    )


def fingerprint(node: Mapping[str, Any]) -> str:
    """A digest of everything the node says, to tell an order seen again unchanged."""
    text = json.dumps(node, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def orders_page(data: Mapping[str, Any]) -> tuple[list[dict[str, Any]], bool, str | None]:
    """`data.orders` → (nodes, hasNextPage, endCursor)."""
    orders = data.get("orders")
    if not isinstance(orders, Mapping):
        raise malformed("orders page", "has no `orders` connection")
    nodes = orders.get("nodes")
    info = orders.get("pageInfo")
    if not isinstance(nodes, list) or not all(isinstance(n, dict) for n in nodes):
        raise malformed("orders page", "has no list of order nodes")
    if not isinstance(info, Mapping) or not isinstance(info.get("hasNextPage"), bool):
        raise malformed("orders page", "has no pageInfo.hasNextPage")
    end = info.get("endCursor")
    if end is not None and not isinstance(end, str):
        raise malformed("orders page", f"has an endCursor that is not text ({end!r})")
    if info["hasNextPage"] and not end:
        raise malformed("orders page", "says hasNextPage but gives no endCursor")
    return nodes, info["hasNextPage"], end
