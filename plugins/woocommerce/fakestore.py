"""The fake WooCommerce shop's state and the business side of each REST route, per the spec (§7)
and the v3 controllers it cites (WC-CORE).

No HTTP here (fake.py serves it). Every route takes the decoded query/body and returns the JSON
(and headers) WooCommerce would, or raises `Refusal` for WordPress's error envelope. Where the
spec is silent the choices are marked [UNVERIFIED].
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from .protocol import ORDERS, PER_PAGE_MAX, STATUSES, TIME_FORMAT

SITE_TZ = timezone(timedelta(hours=8))  # the fake site's timezone (Asia/Shanghai, no DST)
KEY_USER = "店长小王"  # the WordPress user the REST key belongs to: author of its notes

_PRODUCTS = (  # (product_id, sku, name, price)
    (101, "TEA-LJ-250", "西湖龙井 明前特级 250g 礼盒装", Decimal("268.00")),
    (102, "", "景德镇 手绘青花瓷 茶具套装 &amp; 礼盒", Decimal("399.00")),
    (103, "SILK-SC-01", "杭州真丝丝巾 100%桑蚕丝 牡丹印花", Decimal("159.00")),
    (104, "SNK-NUT-750", "每日坚果 750g/30袋 混合果仁", Decimal("89.90")),
    (105, "", "手工竹编收纳篮 &ndash; 大号", Decimal("45.50")),
    (106, "HNY-YJ-500", "云南野生蜂蜜 500g 玻璃瓶装", Decimal("68.00")),
    (107, "PEN-BR-12", "毛笔书法套装 初学者 12件套", Decimal("129.00")),
)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明")
_CITIES = ("上海市", "北京市", "杭州市", "深圳市", "成都市", "南京市", "武汉市", "西安市")
_STATUS_WEIGHTS = (
    ("processing", 34), ("completed", 24), ("pending", 10), ("on-hold", 8), ("cancelled", 7),
    ("refunded", 6), ("failed", 4),
)
_PAYMENTS = (("alipay", "支付宝"), ("wechat", "微信支付"), ("bacs", "银行转账"))
_NEXT = {"pending": "processing", "on-hold": "processing", "failed": "pending",
         "processing": "completed", "completed": "refunded"}
_LABEL = {"pending": "待付款", "processing": "处理中", "on-hold": "保留", "completed": "已完成",
          "cancelled": "已取消", "refunded": "已退款", "failed": "失败", "trash": "回收站"}
_STAFF_NOTES = ("已电话确认收货地址 —— 客服小李", "顾客要求周末送货", "赠品：试用装两包",
                "发票抬头：杭州某某科技有限公司", "老客户，优先发货")
_BUYER_NOTES = ("请尽快发货，谢谢", "麻烦包装结实一点，送人的", "")
# WordPress's REST date-time format (rest_parse_date): RFC 3339, offset optional
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$")
_ORDERBY = ("date", "id", "include", "title", "slug", "modified")


class Refusal(Exception):
    """WordPress's REST error: HTTP status + {"code", "message", "data": {"status", …}}."""

    def __init__(self, status: int, code: str, message: str, params: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message
        self.params = dict(params or {})

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status}
        if self.params:
            data["params"] = self.params
        return {"code": self.code, "message": self.message, "data": data}


def _invalid(name: str, why: str) -> Refusal:
    return Refusal(400, "rest_invalid_param", f"Invalid parameter(s): {name}", {name: why})


def _gmt(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime(TIME_FORMAT)


def _local(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(SITE_TZ).strftime(TIME_FORMAT)


@dataclass
class FakeNote:
    note_id: int
    order_id: int
    text: str
    customer_note: bool
    author: str
    created: datetime

    def to_json(self) -> dict[str, Any]:
        return {"id": self.note_id, "author": self.author, "date_created": _local(self.created),
                "date_created_gmt": _gmt(self.created), "note": self.text, "customer_note": self.customer_note}


@dataclass
class FakeOrder:
    order_id: int
    status: str
    customer_id: int
    first: str
    last: str
    city: str
    email: str
    phone: str
    lines: list[tuple[int, int]]  # (product index, quantity)
    shipping_total: Decimal
    created: datetime
    modified: datetime
    paid: datetime | None = None
    completed: datetime | None = None
    refunds: list[Decimal] = field(default_factory=list)
    customer_note: str = ""
    payment: tuple[str, str] = ("alipay", "支付宝")
    revision: int = 0

    def total(self) -> Decimal:
        goods = sum((_PRODUCTS[p][3] * q for p, q in self.lines), Decimal(0))
        return goods + self.shipping_total

    def to_json(self) -> dict[str, Any]:
        address = {"first_name": self.first, "last_name": self.last, "company": "",
                   "address_1": "文三路 ***号", "address_2": "", "city": self.city, "state": "",
                   "postcode": "310000", "country": "CN"}
        items = []
        for index, (product, quantity) in enumerate(self.lines):
            pid, sku, name, price = _PRODUCTS[product]
            line = price * quantity
            items.append({"id": self.order_id * 10 + index, "name": name, "product_id": pid,
                          "variation_id": 0, "quantity": quantity, "tax_class": "",
                          "subtotal": f"{line:.2f}", "subtotal_tax": "0.00", "total": f"{line:.2f}",
                          "total_tax": "0.00", "taxes": [], "meta_data": [], "sku": sku,
                          "price": float(price)})  # a JSON number, as WooCommerce sends it
        meta = [{"id": self.order_id * 100, "key": "_order_stock_reduced", "value": "yes"}]
        if self.revision:
            meta.append({"id": self.order_id * 100 + 1, "key": "_edit_revision", "value": str(self.revision)})
        return {
            "id": self.order_id, "parent_id": 0, "number": str(self.order_id),
            "order_key": f"wc_order_{self.order_id:x}fa1e", "created_via": "checkout", "version": "8.9.1",
            "status": self.status, "currency": "CNY",
            "date_created": _local(self.created), "date_created_gmt": _gmt(self.created),
            "date_modified": _local(self.modified), "date_modified_gmt": _gmt(self.modified),
            "discount_total": "0.00", "discount_tax": "0.00", "shipping_total": f"{self.shipping_total:.2f}",
            "shipping_tax": "0.00", "cart_tax": "0.00", "total": f"{self.total():.2f}", "total_tax": "0.00",
            "prices_include_tax": False, "customer_id": self.customer_id,
            "customer_ip_address": "", "customer_user_agent": "", "customer_note": self.customer_note,
            "billing": {**address, "email": self.email, "phone": self.phone},
            "shipping": address, "payment_method": self.payment[0], "payment_method_title": self.payment[1],
            "transaction_id": "", "date_paid": _local(self.paid), "date_paid_gmt": _gmt(self.paid),
            "date_completed": _local(self.completed), "date_completed_gmt": _gmt(self.completed),
            "cart_hash": "", "meta_data": meta, "line_items": items, "tax_lines": [],
            "shipping_lines": [{"id": self.order_id * 10 + 9, "method_title": "顺丰速运", "method_id": "flat_rate",
                                "total": f"{self.shipping_total:.2f}", "total_tax": "0.00", "taxes": [],
                                "meta_data": []}],
            "fee_lines": [], "coupon_lines": [],
            "refunds": [{"id": self.order_id * 10 + 5 + i, "reason": "买家申请退款", "total": f"-{amount:.2f}"}
                        for i, amount in enumerate(self.refunds)],
            "_links": {"self": [{"href": f"/wp-json/wc/v3/orders/{self.order_id}"}],
                       "collection": [{"href": "/wp-json/wc/v3/orders"}]},
        }


class FakeShop:
    """The orders and notes of one WooCommerce site."""

    def __init__(self, clock: Callable[[], datetime], seed: int) -> None:
        self.clock = clock
        self.rng = random.Random(seed)
        self.orders: dict[int, FakeOrder] = {}
        self.notes: list[FakeNote] = []
        self.emails: list[tuple[int, str]] = []  # (order id, note) mailed to a buyer: customer notes
        self.ignore_modified_filter = False  # behave like a WooCommerce without modified_after
        self._next_order = 10_001
        self._next_note = 501

    def now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)  # WordPress keeps seconds

    # -- seeding ---------------------------------------------------------------------------------------
    def add_order(self, status: str | None = None) -> FakeOrder:
        rng, now = self.rng, self.now()
        status = status or rng.choices([s for s, _ in _STATUS_WEIGHTS], [w for _, w in _STATUS_WEIGHTS])[0]
        created = now - timedelta(minutes=rng.randint(0, 90))
        registered = rng.random() < 0.6
        order = FakeOrder(
            order_id=self._next_order, status=status,
            customer_id=rng.randint(2, 400) if registered else 0,
            first=rng.choice(_GIVEN) + rng.choice(("", *_GIVEN)), last=rng.choice(_SURNAMES),
            city=rng.choice(_CITIES), email=f"buyer{rng.randint(1000, 9999)}@example.cn",
            phone=f"1{rng.randint(30, 99)}0000{rng.randint(1000, 9999)}",
            lines=[(rng.randrange(len(_PRODUCTS)), rng.randint(1, 3)) for _ in range(rng.randint(1, 3))],
            shipping_total=rng.choice((Decimal("0.00"), Decimal("12.00"))), created=created, modified=now,
            customer_note=rng.choice(_BUYER_NOTES), payment=rng.choice(_PAYMENTS),
        )
        self._next_order += 1
        if status in ("processing", "completed", "refunded") or (status == "on-hold" and rng.random() < 0.3):
            order.paid = created + timedelta(minutes=1)
        if status == "completed":
            order.completed = now
            if rng.random() < 0.2:  # a partial refund on a completed order
                order.refunds.append(order.total() / 2)
        if status == "refunded":
            order.refunds.append(order.total())
        self.orders[order.order_id] = order
        self._system_note(order, "订单已创建。", created)
        if rng.random() < 0.3:
            self.add_note(order.order_id, rng.choice(_STAFF_NOTES), customer_note=False, by_user=True)
        return order

    def _system_note(self, order: FakeOrder, text: str, when: datetime | None = None) -> None:
        self.notes.append(FakeNote(self._next_note, order.order_id, text, False, "system", when or self.now()))
        self._next_note += 1

    def touch(self, order_id: str | int) -> None:
        """An edit as wp-admin or a payment makes it: the next status, a status note, a new modified."""
        order = self.orders[int(order_id)]
        before = order.status
        after = _NEXT.get(before, before)
        now = self.now()
        order.status, order.modified, order.revision = after, now, order.revision + 1
        if after == "processing" and order.paid is None:
            order.paid = now
        if after == "completed":
            order.completed = now
        if after == "refunded":
            order.refunds = [order.total()]
        if after != before:
            self._system_note(order, f"订单状态已从{_LABEL[before]}更改为{_LABEL[after]}。")

    def trash(self, order_id: int) -> None:
        """wp_trash_post: status trash (the old one is kept in meta to restore it), a new modified."""
        order = self.orders[order_id]
        order.status, order.modified, order.revision = "trash", self.now(), order.revision + 1

    def delete(self, order_id: int) -> None:
        """Deleted for good: the order and its notes are gone."""
        del self.orders[order_id]
        self.notes = [n for n in self.notes if n.order_id != order_id]

    def add_note(self, order_id: int, text: str, *, customer_note: bool, by_user: bool) -> FakeNote:
        """WC_Order::add_order_note: a comment on the order; it does not change date_modified."""
        note = FakeNote(self._next_note, order_id, text, customer_note, KEY_USER if by_user else "system", self.now())
        self._next_note += 1
        self.notes.append(note)
        if customer_note:
            self.emails.append((order_id, text))  # WooCommerce e-mails the buyer a customer note
        return note

    def memo(self, order_id: int) -> str:
        """The latest private note a person wrote (not WooCommerce's own "system" notes)."""
        mine = [n for n in self.notes if n.order_id == order_id and not n.customer_note and n.author != "system"]
        return max(mine, key=lambda n: (n.created, n.note_id)).text if mine else ""

    # -- routes ----------------------------------------------------------------------------------------
    def list_orders(self, q: Mapping[str, list[str]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """GET /orders: filters, (orderby, ID) sort, paging, X-WP-Total(Pages) and Link [CORE]."""
        page = _integer(q, "page", 1, 1, None)
        per_page = _integer(q, "per_page", 10, 1, PER_PAGE_MAX)
        orderby = _one(q, "orderby") or "date"
        if orderby not in _ORDERBY:
            raise _invalid("orderby", f"orderby is not one of {', '.join(_ORDERBY)}.")
        order = _one(q, "order") or "desc"
        if order not in ("asc", "desc"):
            raise _invalid("order", "order is not one of asc and desc.")
        gmt = _boolean(q, "dates_are_gmt")
        bounds = {name: _date(q, name) for name in ("after", "before", "modified_after", "modified_before")}
        exclude, include = _ids(q, "exclude"), _ids(q, "include")
        statuses = _statuses(q)
        rows = [o for o in self.orders.values()
                if (o.status in statuses) and o.order_id not in exclude and (not include or o.order_id in include)]

        def stamp(o: FakeOrder, modified: bool) -> datetime:  # the column the date_query reads
            moment = o.modified if modified else o.created
            return moment.astimezone(UTC if gmt else SITE_TZ).replace(tzinfo=None)

        for name, bound in bounds.items():
            modified = name.startswith("modified")
            if bound is None or (modified and self.ignore_modified_filter):
                continue
            if name.endswith("after"):  # WordPress date_query bounds are exclusive
                rows = [o for o in rows if stamp(o, modified) > bound]
            else:
                rows = [o for o in rows if stamp(o, modified) < bound]
        sort_key: Callable[[FakeOrder], Any] = {
            "modified": lambda o: (o.modified, o.order_id), "date": lambda o: (o.created, o.order_id),
        }.get(orderby, lambda o: o.order_id)
        rows.sort(key=sort_key, reverse=order == "desc")
        total = len(rows)
        pages = math.ceil(total / per_page)
        chosen = rows[(page - 1) * per_page: page * per_page]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        if page > 1:
            links.append(f'<{ORDERS}?page={min(page - 1, max(pages, 1))}>; rel="prev"')
        if pages > page:
            links.append(f'<{ORDERS}?page={page + 1}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return [o.to_json() for o in chosen], headers

    def get_order(self, order_id: int) -> dict[str, Any]:
        if order_id not in self.orders:
            raise Refusal(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return self.orders[order_id].to_json()

    def list_notes(self, order_id: int, q: Mapping[str, list[str]]) -> list[dict[str, Any]]:
        """GET /orders/{id}/notes?type=any|customer|internal, newest first (get_comments' order)."""
        if order_id not in self.orders:
            raise Refusal(404, "woocommerce_rest_shop_order_invalid_id", "Invalid order ID.")
        kind = _one(q, "type") or "any"
        if kind not in ("any", "customer", "internal"):
            raise _invalid("type", "type is not one of any, customer, and internal.")
        notes = [n for n in self.notes if n.order_id == order_id
                 and (kind == "any" or n.customer_note == (kind == "customer"))]
        notes.sort(key=lambda n: (n.created, n.note_id), reverse=True)
        return [n.to_json() for n in notes]

    def create_note(self, order_id: int, body: object) -> dict[str, Any]:
        """POST /orders/{id}/notes {note, customer_note=false, added_by_user=false} → 201."""
        if not isinstance(body, dict):
            raise Refusal(400, "rest_invalid_json", "Invalid JSON body passed.")
        text = body.get("note")
        if not isinstance(text, str) or not text:  # [UNVERIFIED] an empty note treated as missing
            raise Refusal(400, "rest_missing_callback_param", "Missing parameter(s): note", {"note": "note is required"})
        flags = {}
        for name in ("customer_note", "added_by_user"):
            value = body.get(name, False)
            if not isinstance(value, bool):
                raise _invalid(name, f"{name} is not of type boolean.")
            flags[name] = value
        if order_id not in self.orders:
            raise Refusal(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
        note = self.add_note(order_id, text.replace("\\", ""),  # wp_insert_comment unslashes
                             customer_note=flags["customer_note"], by_user=flags["added_by_user"])
        return note.to_json()


# -- query parsing, as WordPress validates the collection params -------------------------------------------
def _one(q: Mapping[str, list[str]], name: str) -> str | None:
    values = q.get(name)
    return values[-1] if values else None


def _integer(q: Mapping[str, list[str]], name: str, default: int, low: int, high: int | None) -> int:
    raw = _one(q, name)
    if raw is None:
        return default
    if not raw.strip().lstrip("-").isdigit():
        raise _invalid(name, f"{name} is not of type integer.")
    value = int(raw)
    if value < low or (high is not None and value > high):
        span = f"between {low} (inclusive) and {high} (inclusive)" if high else f"greater than or equal to {low}"
        raise _invalid(name, f"{name} must be {span}")
    return value


def _boolean(q: Mapping[str, list[str]], name: str) -> bool:
    raw = (_one(q, name) or "false").lower()
    if raw not in ("true", "false", "1", "0"):
        raise _invalid(name, f"{name} is not of type boolean.")
    return raw in ("true", "1")


def _date(q: Mapping[str, list[str]], name: str) -> datetime | None:
    """A date-time bound as the naive wall time it is compared with (offsets converted to UTC)."""
    raw = _one(q, name)
    if raw is None:
        return None
    if not _DATE_TIME.match(raw):
        raise _invalid(name, "Invalid date.")
    moment = datetime.fromisoformat(raw.replace("z", "Z").replace("Z", "+00:00").replace(" ", "T"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _ids(q: Mapping[str, list[str]], name: str) -> set[int]:
    """`exclude=1,2` or `exclude[]=1&exclude[]=2` (wp_parse_id_list)."""
    found: set[int] = set()
    for raw in (*q.get(name, []), *q.get(f"{name}[]", [])):
        for part in re.split(r"[,\s]+", raw.strip()):
            if part:
                if not part.isdigit():
                    raise _invalid(name, f"{name}[0] is not of type integer.")
                found.add(int(part))
    return found


def _statuses(q: Mapping[str, list[str]]) -> set[str]:
    asked: list[str] = []
    for raw in (*q.get("status", []), *q.get("status[]", [])):
        asked += [s for s in raw.split(",") if s]
    if not asked or "any" in asked:
        return {s for s in STATUSES if s != "trash"}  # `any` leaves out the trash
    unknown = [s for s in asked if s not in STATUSES]
    if unknown:
        raise _invalid("status", f"status[0] is not one of any, {', '.join(STATUSES)}.")
    return set(asked)
