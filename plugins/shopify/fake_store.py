"""The fake Shopify shop's state and the Admin API operations the adapter sends, evaluated
as shopify.dev documents them: orders searched by `updated_at` (quoted ISO dates, `>= <= > <`)
through a search index that may trail writes, sorted by UPDATED_AT or ID and paged with
opaque cursors; one order by its GID (`order(id:)`); `orderUpdate` (note overwrite),
`tagsAdd` / `tagsRemove` with userErrors.

Seeded data: a cross-border Chinese shop (silk, tea ware, hanfu) selling abroad, so its
currency is not CNY; buyers are customers with tags, or guests; statuses cycle through
pending, paid, shipped, archived, return requested, refunded + cancelled, authorized,
partly shipped and returned.
"""

from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from .fake_graphql import Connection, Enum, GraphQLError, Limited, connection

NOTE_MAX = 5000  # what the fake enforces (see protocol.NOTE_MAX_CHARS)

_PRODUCTS = (
    ("SILK-PJ-CHAMP-M", "真丝睡衣套装 Silk Pajama Set", "香槟色 / M", "89.00"),
    ("CELADON-TEA-6", "手工青瓷茶具 Celadon Tea Set", "六杯一壶", "129.00"),
    ("SUZHOU-FAN-01", "苏绣团扇 Suzhou Embroidered Fan", "Default Title", "45.50"),
    ("MAMIAN-NAVY-S", "汉服马面裙 Mamian Skirt", "藏青 / S", "159.00"),
    ("YIXING-POT-200", "宜兴紫砂壶 Yixing Clay Teapot", "200ml", "210.00"),
    ("", "杭州丝巾 Hangzhou Silk Scarf", "中国红", "39.90"),
    ("HETIAN-JADE-56", "和田玉手镯 Hetian Jade Bangle", "56mm", "320.00"),
)
_CUSTOMERS: tuple[tuple[str, list[str]], ...] = (
    ("Emily Chen", ["VIP"]), ("王小明", ["老客", "wholesale"]), ("Lucas Wong", []),
    ("李娜", ["VIP", "差评预警"]), ("Sophie Martin", []), ("陈静", ["老客"]),
)
_AREAS = ("Los Angeles, California, United States", "Vancouver, British Columbia, Canada",
          "Singapore, Singapore", "Sydney, New South Wales, Australia", "Hong Kong, Hong Kong SAR",
          "London, England, United Kingdom")
_COURIERS = (("YunExpress", "YT{:016d}"), ("4PX", "4PX{:012d}CN"), ("China Post", "LP{:09d}CN"),
             ("DHL Express", "{:010d}"))
# (financial, fulfillment, return status, cancelled, archived, guest)
_LIFECYCLE = (
    ("PENDING", "UNFULFILLED", "NO_RETURN", False, False, False),
    ("PAID", "UNFULFILLED", "NO_RETURN", False, False, False),
    ("PAID", "FULFILLED", "NO_RETURN", False, False, False),
    ("PAID", "FULFILLED", "NO_RETURN", False, True, False),
    ("PARTIALLY_REFUNDED", "FULFILLED", "RETURN_REQUESTED", False, False, False),
    ("REFUNDED", "UNFULFILLED", "NO_RETURN", True, True, False),
    ("AUTHORIZED", "UNFULFILLED", "NO_RETURN", False, False, False),
    ("PAID", "PARTIALLY_FULFILLED", "NO_RETURN", False, False, False),
    ("PAID", "UNFULFILLED", "NO_RETURN", False, False, True),
    ("PARTIALLY_REFUNDED", "FULFILLED", "RETURNED", False, False, False),
)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def bag(amount: Decimal, currency: str) -> dict[str, Any]:
    money = {"__typename": "MoneyV2", "amount": str(amount.quantize(Decimal("0.01"))), "currencyCode": currency}
    return {"__typename": "MoneyBag", "shopMoney": money, "presentmentMoney": dict(money)}


@dataclass
class Line:
    sku: str
    title: str
    variant_title: str
    quantity: int
    price: Decimal
    variant_id: int


@dataclass
class Shipment:
    created: datetime
    company: str
    number: str


@dataclass
class Order:
    id: int
    number: int
    created: datetime
    updated: datetime
    financial: str
    fulfillment: str
    returns: str
    cancelled: datetime | None
    closed: bool
    customer_id: int | None
    area: str
    lines: list[Line]
    shipments: list[Shipment] = field(default_factory=list)
    note: str = ""
    tags: list[str] = field(default_factory=list)
    indexed: datetime | None = None  # updatedAt as the search index knows it (None: not yet)
    pending: tuple[datetime, datetime] | None = None  # (updatedAt, when the index sees it)


@dataclass
class Customer:
    id: int
    name: str
    tags: list[str]
    email: str


class FakeShop:
    """One shop's orders and customers; every method runs under the fake's lock."""

    def __init__(self, clock: Callable[[], datetime], seed: int, currency: str, search_lag_s: float) -> None:
        self.clock, self.random, self.currency = clock, random.Random(seed), currency
        self.search_lag = timedelta(seconds=search_lag_s)
        self.orders: dict[int, Order] = {}
        self.customers = {7400000000000 + 31 * i: Customer(7400000000000 + 31 * i, name, list(tags),
                                                           f"buyer{i}@example.com")
                          for i, (name, tags) in enumerate(_CUSTOMERS)}
        self._seq = 0

    # -- seeding and changes ---------------------------------------------------------------------------
    def add_order(self) -> Order:
        i, rnd = self._seq, self.random
        self._seq += 1
        now = second(self.clock())
        financial, fulfillment, returns, cancelled, closed, guest = _LIFECYCLE[i % len(_LIFECYCLE)]
        created = now - timedelta(minutes=rnd.randint(5, 600))
        picks = rnd.sample(_PRODUCTS, rnd.randint(1, 3))
        lines = [Line(sku, title, variant, rnd.randint(1, 3), Decimal(price), 44000000000 + 97 * _PRODUCTS.index(p))
                 for p in picks for sku, title, variant, price in [p]]
        customers = list(self.customers)
        order = Order(id=5600000000000 + 7919 * i, number=1001 + i, created=created, updated=now,
                      financial=financial, fulfillment=fulfillment, returns=returns,
                      cancelled=created + timedelta(minutes=3) if cancelled else None, closed=closed,
                      customer_id=None if guest else customers[i % len(customers)],
                      area=_AREAS[i % len(_AREAS)], lines=lines)
        if fulfillment in ("FULFILLED", "PARTIALLY_FULFILLED"):
            self._ship(order, created + timedelta(minutes=rnd.randint(1, 4)))
        if i % 4 == 1:
            order.note = "客户要求礼盒包装 gift wrap"
        self.orders[order.id] = order
        self._changed(order, now)
        return order

    def _ship(self, order: Order, at: datetime) -> None:
        company, pattern = _COURIERS[len(self.orders) % len(_COURIERS)]
        order.shipments.append(Shipment(at, company, pattern.format(self.random.randrange(10 ** 9))))

    def _changed(self, order: Order, now: datetime) -> None:
        order.updated = max(second(now), order.updated)
        if self.search_lag:
            order.pending = (order.updated, now + self.search_lag)
        else:
            order.indexed, order.pending = order.updated, None

    def touch(self, order_id: int) -> None:
        """Move the order one step on: paid, shipped, archived; else a new follow-up tag."""
        order, now = self.orders[order_id], self.clock()
        if order.cancelled is None and order.financial in ("PENDING", "AUTHORIZED"):
            order.financial = "PAID"
        elif order.cancelled is None and order.fulfillment in ("UNFULFILLED", "PARTIALLY_FULFILLED"):
            order.fulfillment = "FULFILLED"
            self._ship(order, second(now))
        elif order.cancelled is None and not order.closed and order.returns == "NO_RETURN":
            order.closed = True
        else:
            order.tags.append(f"跟进{len(order.tags) + 1}")
        self._changed(order, now)

    def set_note(self, order_id: int, note: str) -> None:
        order = self.orders[order_id]
        order.note = note
        self._changed(order, self.clock())

    # -- nodes ------------------------------------------------------------------------------------------
    def customer_node(self, customer: Customer) -> dict[str, Any]:
        first, _, last = customer.name.partition(" ")
        return {"__typename": "Customer", "id": f"gid://shopify/Customer/{customer.id}",
                "legacyResourceId": str(customer.id), "displayName": customer.name, "firstName": first,
                "lastName": last or None, "email": customer.email, "phone": None, "tags": list(customer.tags),
                "numberOfOrders": str(sum(o.customer_id == customer.id for o in self.orders.values()))}

    def order_node(self, order: Order) -> dict[str, Any]:
        customer = self.customers.get(order.customer_id) if order.customer_id is not None else None
        city, _, rest = order.area.partition(", ")
        total = sum((line.price * line.quantity for line in order.lines), Decimal(0))
        return {
            "__typename": "Order", "id": f"gid://shopify/Order/{order.id}", "legacyResourceId": str(order.id),
            "name": f"#{order.number}", "createdAt": iso(order.created), "updatedAt": iso(order.updated),
            "processedAt": iso(order.created), "cancelledAt": iso(order.cancelled) if order.cancelled else None,
            "closed": order.closed, "closedAt": iso(order.updated) if order.closed else None,
            "displayFinancialStatus": order.financial, "displayFulfillmentStatus": order.fulfillment,
            "returnStatus": order.returns, "note": order.note or None, "tags": list(order.tags),
            "email": customer.email if customer else "guest@example.com", "phone": None,
            "currencyCode": self.currency, "totalPriceSet": bag(total, self.currency),
            "customer": self.customer_node(customer) if customer else None,
            "shippingAddress": {"__typename": "MailingAddress", "name": customer.name if customer else "Guest",
                                "address1": "88 Example Street", "phone": "+1 555 0100", "city": city,
                                "province": rest.rpartition(", ")[0] or None, "formattedArea": order.area,
                                "countryCodeV2": "US"},
            "lineItems": Connection("LineItemConnection", [
                {"__typename": "LineItem", "id": f"gid://shopify/LineItem/{order.id * 10 + n}",
                 "sku": line.sku or None, "title": line.title, "variantTitle": line.variant_title,
                 "quantity": line.quantity, "currentQuantity": line.quantity,
                 "originalUnitPriceSet": bag(line.price, self.currency),
                 "variant": {"__typename": "ProductVariant", "id": f"gid://shopify/ProductVariant/{line.variant_id}"}}
                for n, line in enumerate(order.lines)]),
            "fulfillments": Limited([
                {"__typename": "Fulfillment", "createdAt": iso(s.created), "status": "SUCCESS",
                 "trackingInfo": Limited([{"__typename": "FulfillmentTrackingInfo", "company": s.company,
                                           "number": s.number, "url": None}])}
                for s in order.shipments]),
        }

    # -- queries ----------------------------------------------------------------------------------------
    def shop_node(self, domain: str) -> dict[str, Any]:
        return {"__typename": "Shop", "name": "丝韵东方 Silk & Tea", "myshopifyDomain": domain,
                "currencyCode": self.currency, "email": "owner@example.com"}

    def search(self, args: dict[str, Any]) -> dict[str, Any]:
        """`orders(first, after, query, sortKey)` over the search index."""
        now = self.clock()
        for order in self.orders.values():  # the index catches up with writes older than the lag
            if order.pending is not None and order.pending[1] <= now:
                order.indexed, order.pending = order.pending[0], None
        first, after = args.get("first"), args.get("after")
        if isinstance(first, bool) or not isinstance(first, int) or not 0 <= first <= 250:
            raise GraphQLError("orders needs `first` between 0 and 250", "argumentLiteralsIncompatible")
        sort = args.get("sortKey")
        sort_name = sort.name if isinstance(sort, Enum) else "ID"
        if sort_name not in ("ID", "UPDATED_AT"):
            raise GraphQLError(f"fake: sortKey {sort_name} is not served", "argumentLiteralsIncompatible")
        terms = parse_search(args.get("query"))
        found = [o for o in self.orders.values() if o.indexed is not None and all(t(o) for t in terms)]

        def key(o: Order) -> tuple[str, int]:
            return (iso(o.indexed) if sort_name == "UPDATED_AT" and o.indexed else "", o.id)

        found.sort(key=key)
        if after is not None:
            position = _decode_cursor(after)
            found = [o for o in found if key(o) > position]
        page = found[:first]
        return connection("OrderConnection", [self.order_node(o) for o in page], len(found) > first,
                          [_encode_cursor(key(o)) for o in page])

    def order_by_gid(self, value: object) -> dict[str, Any] | None:
        """`order(id:)`: the order node, null for an order that does not exist; an id that is
        no Order GID is refused as Shopify refuses it."""
        if not isinstance(value, str) or not re.fullmatch(r"gid://shopify/Order/\d+", value):
            raise GraphQLError(f"Invalid global id '{value}'", "argumentLiteralsIncompatible")
        order = self._order_of(value)
        return self.order_node(order) if order is not None else None

    # -- mutations --------------------------------------------------------------------------------------
    def _order_of(self, value: object) -> Order | None:
        match = re.fullmatch(r"gid://shopify/Order/(\d+)", value) if isinstance(value, str) else None
        return self.orders.get(int(match.group(1))) if match else None

    def order_update(self, data: dict[str, Any]) -> dict[str, Any]:
        order = self._order_of(data.get("id"))
        if order is None:
            return {"__typename": "OrderUpdatePayload", "order": None,
                    "userErrors": [{"__typename": "UserError", "field": ["id"], "message": "Order does not exist"}]}
        if "note" in data:
            note = data["note"] or ""
            if len(note) > NOTE_MAX:
                return {"__typename": "OrderUpdatePayload", "order": None, "userErrors": [
                    {"__typename": "UserError", "field": ["note"],
                     "message": f"Note is too long (maximum is {NOTE_MAX} characters)"}]}
            if note != order.note:
                self.set_note(order.id, note)
        return {"__typename": "OrderUpdatePayload", "order": self.order_node(order), "userErrors": []}

    def tags(self, owner: object, tags: list[str], add: bool) -> dict[str, Any]:
        typename = "TagsAddPayload" if add else "TagsRemovePayload"
        match = re.fullmatch(r"gid://shopify/Customer/(\d+)", owner) if isinstance(owner, str) else None
        customer = self.customers.get(int(match.group(1))) if match else None
        if customer is None:
            return {"__typename": typename, "node": None, "userErrors": [
                {"__typename": "UserError", "field": ["id"], "message": "Customer does not exist"}]}
        for tag in tags:
            tag = tag.strip()
            if len(tag) > 255:
                return {"__typename": typename, "node": None, "userErrors": [
                    {"__typename": "UserError", "field": ["tags"], "message": "Tags is invalid"}]}
            if add and tag and tag not in customer.tags:
                customer.tags.append(tag)
            if not add and tag in customer.tags:
                customer.tags.remove(tag)
        return {"__typename": typename, "node": self.customer_node(customer), "userErrors": []}


# -- search syntax and cursors ---------------------------------------------------------------------------
_SEARCH = re.compile(r"""\s*(?:(?P<conn>AND|OR|NOT)\b|(?P<field>\w+):(?P<op><=|>=|<|>)?(?P<value>'[^']*'|"[^"]*"|\S+))""")
_COMPARE: dict[str, Callable[[datetime, datetime], bool]] = {
    "": lambda a, b: a == b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}


def parse_search(query: object) -> list[Callable[[Order], bool]]:
    """`updated_at:>='2024-05-01T10:00:00Z' AND created_at:<'…'`; anything else is refused,
    and a date must be quoted, as the search-syntax page says."""
    if query is None:
        return []
    if not isinstance(query, str):
        raise GraphQLError("query must be a String", "argumentLiteralsIncompatible")
    terms: list[Callable[[Order], bool]] = []
    pos = 0
    while pos < len(query.rstrip()):
        match = _SEARCH.match(query, pos)
        if match is None:
            raise GraphQLError(f"fake: cannot read the search query at {query[pos:pos + 20]!r}", "invalidSearch")
        pos = match.end()
        if match.group("conn"):
            if match.group("conn") != "AND":
                raise GraphQLError("fake: only AND is served in search queries", "invalidSearch")
            continue
        name, op, value = match.group("field"), match.group("op") or "", match.group("value")
        if name not in ("updated_at", "created_at"):
            raise GraphQLError(f"fake: search field {name!r} is not served", "invalidSearch")
        if value[0] not in "'\"":
            raise GraphQLError(f"Date values must be quoted: {value!r}", "invalidSearch")
        try:
            moment = datetime.fromisoformat(value[1:-1])
        except ValueError:
            raise GraphQLError(f"invalid date in search query: {value!r}", "invalidSearch") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        compare = _COMPARE[op]

        def term(o: Order, name: str = name, moment: datetime = moment,
                 compare: Callable[[datetime, datetime], bool] = compare) -> bool:
            seen = o.indexed if name == "updated_at" else o.created
            return seen is not None and compare(seen, moment)

        terms.append(term)
    return terms


def _encode_cursor(key: tuple[str, int]) -> str:
    raw = json.dumps({"last_id": key[1], "last_value": key[0] or str(key[1])}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def _decode_cursor(cursor: object) -> tuple[str, int]:
    try:
        data = json.loads(base64.b64decode(str(cursor), validate=True))
        last_id, last_value = int(data["last_id"]), str(data["last_value"])
    except (ValueError, KeyError, TypeError):
        raise GraphQLError("Invalid cursor for current pagination", "badRequest") from None
    return ("" if last_value == str(last_id) else last_value, last_id)
