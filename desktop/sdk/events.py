"""Frozen event dataclasses: what every platform feed is translated into."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


class Direction(str, enum.Enum):
    """Who wrote a message, seen from the shop."""

    IN = "in"  # buyer → shop
    OUT = "out"  # shop (a seat, or an automatic reply) → buyer


class MessageKind(str, enum.Enum):
    TEXT = "text"
    IMAGE = "image"
    ORDER_CARD = "order_card"
    PRODUCT_CARD = "product_card"
    SYSTEM = "system"


class OrderStatus(str, enum.Enum):
    """The normalized order state every platform's status is mapped onto."""

    UNPAID = "unpaid"
    PAID = "paid"  # paid, not shipped yet
    SHIPPED = "shipped"
    REFUNDING = "refunding"
    COMPLETED = "completed"
    CLOSED = "closed"


class WarehouseStage(str, enum.Enum):
    """How far the warehouse has got with an order, where the platform (or the
    shop's ERP through it) reports it. From PRINTED on, a changed memo may no
    longer reach the packer: the agent must tell the warehouse in person."""

    UNKNOWN = "unknown"  # the platform does not say
    WAITING = "waiting"  # paid, waybill not printed yet
    PRINTED = "printed"  # waybill printed
    PACKED = "packed"  # packed, waiting for the courier


@dataclass(frozen=True, slots=True)
class MessageEvent:
    """One chat message as the platform holds it."""

    platform_msg_id: str
    conversation_id: str  # the platform's conversation (session) id
    buyer_id: str
    buyer_nick: str
    direction: Direction
    sender: str  # buyer nick, seat name, or "system"
    kind: MessageKind
    text: str
    sent_at: datetime  # timezone-aware
    # The client idempotency key of a message we sent ourselves, echoed back
    # by the platform, so the echo settles our pending copy instead of doubling it.
    client_key: str | None = None


@dataclass(frozen=True, slots=True)
class OrderItem:
    sku_id: str
    title: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """The current state of one order as the platform reports it."""

    platform_order_id: str
    buyer_id: str
    buyer_nick: str
    status: OrderStatus
    raw_status: str  # the platform's own status name, kept for display and debugging
    items: tuple[OrderItem, ...]
    total: Decimal
    currency: str  # ISO 4217, e.g. "CNY"
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    receiver_masked: str = ""  # as the platform masks it; never unmasked
    seller_memo: str = ""
    seller_flag: int | None = None  # the platform's own flag value, see PlatformInfo.flags
    courier: str = ""
    waybill: str = ""
    conversation_id: str | None = None
    warehouse: WarehouseStage = WarehouseStage.UNKNOWN
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


Event = MessageEvent | OrderEvent
