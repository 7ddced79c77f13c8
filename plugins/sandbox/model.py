"""The simulated platform's own records: shops, buyers, conversations and orders."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field
from typing import Any


class Stage(str, enum.Enum):
    """Where an order is in its life, independent of how a flavour spells it."""

    UNPAID = "unpaid"
    PAID = "paid"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CLOSED_UNPAID = "closed_unpaid"  # never paid: cancelled or timed out
    CLOSED_REFUNDED = "closed_refunded"  # paid, then fully refunded


class Warehouse(str, enum.Enum):
    """How far the shop's warehouse has got with a paid order (the platform's
    print/pack tracking). Every order starts WAITING; shipping implies PACKED."""

    WAITING = "waiting"  # not printed yet
    PRINTED = "printed"  # waybill printed
    PACKED = "packed"  # packed, waiting for the courier


class Refund(str, enum.Enum):
    NONE = "none"
    REQUESTED = "requested"  # buyer asked, seller has not answered
    RETURNING = "returning"  # seller agreed, goods on their way back
    SUCCESS = "success"
    CLOSED = "closed"  # withdrawn or refused: the order goes on as before


@dataclass(slots=True)
class Product:
    sku_id: str
    title: str
    price_fen: int


@dataclass(slots=True)
class OrderLine:
    sku_id: str
    title: str
    quantity: int
    unit_price_fen: int


@dataclass(slots=True)
class Order:
    order_id: str
    buyer_id: str
    buyer_nick: str
    conversation_id: str | None
    lines: list[OrderLine]
    total_fen: int
    receiver_name: str  # masked, as the platform shows it
    receiver_mobile: str  # masked
    region: tuple[str, str, str]  # province, city, district (the clear parts)
    created_ms: int
    modified_ms: int
    stage: Stage = Stage.UNPAID
    refund: Refund = Refund.NONE
    paid_ms: int | None = None
    shipped_ms: int | None = None
    courier: str = ""
    waybill: str = ""
    warehouse: Warehouse = Warehouse.WAITING
    memo: str = ""
    flag: int = 0
    mod_seq: int = 0  # the shop's order-feed position of the latest change


@dataclass(frozen=True, slots=True)
class RemarkEntry:
    """One applied memo change, as the platform's audit log keeps it."""

    source: str  # "api" (a remark through /api/orders/remark) | "backoffice" (/admin/set-memo)
    client_key: str | None  # the request's idempotency key; None for back-office edits
    order_id: str
    memo: str
    flag: int
    at_ms: int  # when it was applied: the order's new modification time

    def public(self) -> dict[str, object]:
        return {
            "source": self.source,
            "client_key": self.client_key,
            "order_id": self.order_id,
            "memo": self.memo,
            "flag": self.flag,
            "at": self.at_ms,
        }


@dataclass(slots=True)
class Buyer:
    buyer_id: str
    nick: str
    conversation_id: str


@dataclass(slots=True)
class Conversation:
    conversation_id: str
    buyer_id: str
    msg_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Credentials:
    app_key: str
    app_secret: str
    access_token: str


@dataclass(slots=True)
class Shop:
    """One shop's whole state on the platform. Guarded by the store's lock."""

    number: int  # 1-based position, used in ids
    platform_shop_id: str
    platform: str
    name: str
    theme: str  # which phrase bank its buyers' product questions come from
    credentials: Credentials
    products: list[Product]
    cond: threading.Condition  # shares the store lock; wakes this shop's long-polls
    token_valid: bool = True
    buyers: dict[str, Buyer] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    # Message records are built once and never mutated, so readers may
    # serialise them outside the lock.
    messages: list[dict[str, Any]] = field(default_factory=list)
    orders: dict[str, Order] = field(default_factory=dict)  # in creation order
    order_log: list[str] = field(default_factory=list)  # order ids by modification seq
    # Push log entries: ("message", index into messages) | ("order", mod_seq).
    events: list[tuple[str, int]] = field(default_factory=list)
    sent_by_key: dict[str, str] = field(default_factory=dict)  # client_msg_id → msg_id
    transfers_by_key: set[str] = field(default_factory=set)
    # Every memo change in order: our remarks (source "api") and the platform's
    # own back office (source "backoffice"); see `Store.remark` / `Store.set_memo`.
    remark_log: list[RemarkEntry] = field(default_factory=list)
    remarks_by_key: dict[str, RemarkEntry] = field(default_factory=dict)  # client_key → its entry
    next_order_no: int = 1
    push_waiters: int = 0
    last_created_ms: int = 0

    def public(self) -> dict[str, object]:
        creds = self.credentials
        return {
            "platform_shop_id": self.platform_shop_id,
            "platform": self.platform,
            "name": self.name,
            "credentials": {
                "app_key": creds.app_key,
                "app_secret": creds.app_secret,
                "access_token": creds.access_token,
            },
        }
