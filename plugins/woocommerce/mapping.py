"""Pure translation of WooCommerce replies: the error envelope and HTTP statuses into typed
errors, order objects into OrderEvents, and an order's notes into its seller memo.

Anything a record must carry is checked; a broken record raises `Temporary` naming the record
and the field, so a page is never half-ingested and the engine retries the same cursor.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import httpx

from desktop.sdk import (
    AdapterError,
    AuthExpired,
    OrderEvent,
    OrderItem,
    OrderStatus,
    RateLimited,
    Rejected,
    Temporary,
)

from .protocol import HEADER_TOTAL, HEADER_TOTAL_PAGES, SYSTEM_AUTHOR, parse_time

# [UNVERIFIED] WooCommerce documents no rate limit; a 429 comes from the host or a security
# plugin in front of WordPress. Without a Retry-After hint, wait this long.
DEFAULT_RETRY_AFTER = 60.0

log = logging.getLogger("seatdesk.plugin.woocommerce")


def malformed(what: str, problem: str) -> Temporary:
    return Temporary(f"malformed payload from WooCommerce: {what} {problem}")


# -- errors [SPEC]: HTTP 4xx/5xx with {"code", "message", "data": {"status"}} ---------------------------
def _envelope(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of WordPress's REST error body; ("", "") when it is not one."""
    try:
        body = json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    code, message = body.get("code"), body.get("message")
    return (code if isinstance(code, str) else "",
            html.unescape(message).strip() if isinstance(message, str) else "")


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(1.0, float(response.headers.get("Retry-After", "")))
    except ValueError:  # absent, or an HTTP date: use the default
        return DEFAULT_RETRY_AFTER


def http_failure(response: httpx.Response, where: str) -> AdapterError | None:
    """The typed error for a non-2xx reply, or None.

    401 is every refused credential (unknown or revoked consumer key, wrong secret, a read-only
    key writing): the shop needs a new key, i.e. a new login. 403 with WordPress's "cannot"/
    "forbidden" codes is a key whose user lacks the shop-manager rights: also a new key."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    code, message = _envelope(response)
    detail = f"WooCommerce {where}: HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
    if status == 401 or (status == 403 and ("cannot" in code or "forbidden" in code)):
        return AuthExpired(f"{detail} (check the consumer key and secret, and that the key has "
                           "read/write permission)")
    if status == 429:
        return RateLimited(_retry_after(response), f"{detail} (too many requests)")
    if status >= 500:
        return Temporary(detail)
    if 300 <= status < 400:
        target = response.headers.get("Location", "")
        return Rejected(f"{detail}: the site redirects to {target!r}; set base_url to the address "
                        "it redirects to")
    if status == 404 and code == "rest_no_route":
        return Rejected(f"{detail} (is WooCommerce active, pretty permalinks on, and base_url the "
                        "shop's own address?)")
    return Rejected(detail)


def decode_json(response: httpx.Response, where: str) -> Any:
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        # e.g. a login or maintenance page served with 200 instead of the API
        raise malformed(f"{where} reply", f"is not JSON ({type(exc).__name__}); check base_url") from None


def total_pages(headers: httpx.Headers, where: str) -> int | None:
    """X-WP-TotalPages [SPEC], checked against X-WP-Total; None if the reply leaves them out."""
    pages = _count_header(headers, HEADER_TOTAL_PAGES, where)
    _count_header(headers, HEADER_TOTAL, where)
    return pages


def _count_header(headers: httpx.Headers, name: str, where: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise malformed(f"{where} reply", f"has a {name} header that is not a count: {raw!r}")
    return int(raw)


# -- records ----------------------------------------------------------------------------------------------
class Record:
    """Checked access to one JSON object of the wire."""

    __slots__ = ("data", "what")

    def __init__(self, data: object, what: str) -> None:
        if not isinstance(data, dict):
            raise malformed(what, f"is {type(data).__name__}, not an object")
        self.data: dict[str, Any] = data
        self.what = what

    def ident(self, key: str) -> str:
        """A positive integer id (WooCommerce ids are integers)."""
        value = self.data.get(key)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise malformed(self.what, f"lacks a positive integer {key!r} (got {value!r})")
        return str(value)

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise malformed(self.what, f"field {key!r} should be a string, got {type(value).__name__}")
        return str(value).strip()

    def money(self, key: str) -> Decimal:
        raw = self.data.get(key)
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise malformed(self.what, f"field {key!r} should be an amount, got {raw!r}")
        try:
            amount = Decimal(str(raw).strip())
        except InvalidOperation:
            raise malformed(self.what, f"field {key!r} is not an amount: {raw!r}") from None
        if not amount.is_finite():
            raise malformed(self.what, f"field {key!r} is not an amount: {raw!r}")
        return amount

    def time(self, key: str) -> datetime:
        moment = self.opt_time(key)
        if moment is None:
            raise malformed(self.what, f"lacks the time {key!r}")
        return moment

    def opt_time(self, key: str) -> datetime | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            raise malformed(self.what, f"field {key!r} is not a time: {raw!r}")
        try:
            return parse_time(raw)
        except ValueError:
            raise malformed(self.what, f"field {key!r} is not an ISO 8601 time: {raw!r}") from None

    def obj(self, key: str) -> Record | None:
        value = self.data.get(key)
        if value is None or value == [] or value == {}:
            return None  # PHP encodes an empty associative array as []
        return Record(value, f"{self.what} {key}")

    def array(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise malformed(self.what, f"field {key!r} should be an array, got {type(value).__name__}")
        return value


def fingerprint(record: Mapping[str, Any]) -> str:
    """A short digest of a whole order object: the same order delivered unchanged has the same one
    (date_modified has one-second resolution, so a change within a second shows only here)."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def order_ident(raw: object, index: int) -> tuple[str, int]:
    """(id, date_modified_gmt as epoch seconds) of one order of the list: what the cursor keeps."""
    r = Record(raw, f"orders[{index}]")
    order_id = r.ident("id")
    r.what = f"order {order_id}"
    moment = r.opt_time("date_modified_gmt") or r.time("date_created_gmt")
    return order_id, int(moment.timestamp())


# -- status [SPEC] _orders.md statuses → the normalized status ---------------------------------------------
ORDER_STATUS: Mapping[str, OrderStatus] = {
    "pending": OrderStatus.UNPAID,  # Pending payment
    "failed": OrderStatus.UNPAID,  # payment failed or declined; WooCommerce lets the buyer pay again
    "checkout-draft": OrderStatus.UNPAID,  # a block-checkout draft, not placed yet
    "processing": OrderStatus.PAID,  # paid, being fulfilled (core has no "shipped" status)
    "completed": OrderStatus.COMPLETED,  # fulfilled
    "cancelled": OrderStatus.CLOSED,
    "refunded": OrderStatus.CLOSED,  # fully refunded: a WooCommerce refund is done when recorded
    "trash": OrderStatus.CLOSED,
}
ON_HOLD = "on-hold"  # awaiting payment confirmation (e.g. bank transfer), or held after payment


def order_status(raw: str, paid: bool, order_id: str) -> OrderStatus:
    """WooCommerce has no shipped status and no refund-in-progress status (a refund is recorded
    when made): those states are not invented here. on-hold is paid only if date_paid is set."""
    if raw == ON_HOLD:
        return OrderStatus.PAID if paid else OrderStatus.UNPAID
    status = ORDER_STATUS.get(raw)
    if status is None:
        # A status a shop plugin added must not stop the feed: the raw status is kept for
        # display, and date_paid says which side of payment the order is on.
        log.warning("WooCommerce order %s has a custom status %r; shown as %s", order_id, raw,
                    "paid" if paid else "unpaid")
        return OrderStatus.PAID if paid else OrderStatus.UNPAID
    return status


# -- orders -------------------------------------------------------------------------------------------------
_FAMILY_FIRST = frozenset({"CN", "TW", "HK", "MO", "JP", "KR"})  # countries that write family name first


def person_name(first: str, last: str, country: str) -> str:
    if country in _FAMILY_FIRST:
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def _address_summary(r: Record | None) -> tuple[str, str]:
    """(name, "city, country") of a billing/shipping object; nothing more is kept."""
    if r is None:
        return "", ""
    country = r.text("country").upper()
    place = ", ".join(part for part in (r.text("city"), country) if part)
    return person_name(r.text("first_name"), r.text("last_name"), country), place


def buyer_of(r: Record, order_id: str) -> tuple[str, str]:
    """(buyer_id, buyer_nick). A registered customer is `customer_id`; a guest (customer_id 0)
    gets a stable id derived from the billing e-mail, so the address itself is not stored."""
    billing = r.obj("billing")
    name, _ = _address_summary(billing)
    customer = r.data.get("customer_id", 0)
    if isinstance(customer, str) and customer.isdigit():
        customer = int(customer)
    if isinstance(customer, bool) or not isinstance(customer, int) or customer < 0:
        raise malformed(r.what, f"customer_id is not an id: {customer!r}")
    if customer > 0:
        return str(customer), name or f"customer {customer}"
    email = billing.text("email").lower() if billing is not None else ""
    if email:
        digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:16]
        return f"guest-{digest}", name or "guest"
    return f"guest-order-{order_id}", name or "guest"


def _items(r: Record, exponent: Decimal) -> tuple[OrderItem, ...]:
    items = []
    for index, raw in enumerate(r.array("line_items")):
        item = Record(raw, f"{r.what} line_items[{index}]")
        quantity = item.data.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise malformed(item.what, f"quantity is not a whole number: {quantity!r}")
        if quantity <= 0:
            continue  # a line edited down to nothing carries no goods
        variation = item.text("variation_id")
        sku = item.text("sku") or (variation if variation not in ("", "0") else item.text("product_id"))
        # `price` is the line total after discounts, per unit, before tax (a JSON number)
        unit = item.money("price").quantize(exponent, rounding=ROUND_HALF_UP)
        items.append(OrderItem(sku_id=sku, title=html.unescape(item.text("name")), quantity=quantity,
                               unit_price=unit))
    return tuple(items)


def refunded_total(r: Record) -> Decimal:
    """Sum of the order's refunds (each `total` is negative, e.g. "-10.00"), as a positive amount."""
    total = Decimal(0)
    for index, raw in enumerate(r.array("refunds")):
        total += abs(Record(raw, f"{r.what} refunds[{index}]").money("total"))
    return total


def order_event(raw: object, memo: str) -> OrderEvent:
    """One order object of GET /orders → an OrderEvent; `memo` is its latest private note."""
    r = Record(raw, "order")
    order_id = r.ident("id")
    r.what = f"order {order_id}"
    raw_status = r.text("status")
    if not raw_status:
        raise malformed(r.what, "lacks its status")
    currency = r.text("currency").upper()
    if len(currency) != 3 or not currency.isalpha():
        raise malformed(r.what, f"currency is not an ISO 4217 code: {currency!r}")
    total = r.money("total")
    if total < 0:
        raise malformed(r.what, f"total is negative: {total}")
    exponent = Decimal(1).scaleb(min(0, int(total.as_tuple().exponent)))  # the order's decimals
    created = r.time("date_created_gmt")
    paid_at = r.opt_time("date_paid_gmt")
    buyer_id, nick = buyer_of(r, order_id)
    name, place = _address_summary(r.obj("shipping"))
    if not name and not place:
        name, place = _address_summary(r.obj("billing"))
    extra: dict[str, str] = {}
    number = r.text("number")
    if number and number != order_id:
        extra["number"] = number  # the order number the shop shows (sequential-number plugins)
    refunded = refunded_total(r)
    if refunded:
        extra["refunded"] = str(refunded)  # partial or full, in the order's currency
    completed = r.opt_time("date_completed_gmt")
    if completed is not None:
        extra["completed_at"] = completed.isoformat()
    for key, label in (("customer_note", "buyer_note"), ("payment_method_title", "payment_method")):
        value = r.text(key)
        if value:
            extra[label] = value
    return OrderEvent(
        platform_order_id=order_id,
        buyer_id=buyer_id,
        buyer_nick=nick,
        status=order_status(raw_status, paid_at is not None, order_id),
        raw_status=raw_status,
        items=_items(r, exponent),
        total=total,
        currency=currency,
        created_at=created,
        updated_at=r.opt_time("date_modified_gmt") or created,
        paid_at=paid_at,
        receiver_masked=" ".join(part for part in (name, place) if part),
        seller_memo=memo,
        seller_flag=None,  # WooCommerce has no order flags
        extra=extra,
    )


# -- notes ---------------------------------------------------------------------------------------------------
def latest_memo(raw: object, order_id: str) -> str:
    """GET /orders/{id}/notes?type=internal → the latest private note a person wrote (WooCommerce's
    own status notes, author "system", are not remarks); "" when there is none."""
    if not isinstance(raw, list):
        raise malformed(f"notes of order {order_id}", f"is {type(raw).__name__}, not an array")
    best: tuple[datetime, int, str] | None = None
    for index, item in enumerate(raw):
        note = Record(item, f"note {index} of order {order_id}")
        if note.data.get("customer_note") is not False or note.text("author") == SYSTEM_AUTHOR:
            continue
        key = (note.time("date_created_gmt"), int(note.ident("id")), note.text("note"))
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best is not None else ""


def same_note(stored: str, wanted: str) -> bool:
    """Whether a stored note already says `wanted`. WordPress strips backslashes when it saves a
    comment (wp_insert_comment unslashes), and surrounding blanks are not meaningful."""
    return stored.strip().replace("\\", "") == wanted.strip().replace("\\", "")
