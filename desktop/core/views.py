"""Plain read-only rows that core query functions hand the UI (no ORM objects)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class InboxState(str, enum.Enum):
    WAITING = "waiting"  # a buyer waits for an answer
    ALL = "all"  # every open conversation
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class InboxFilter:
    state: InboxState = InboxState.ALL
    shop_ids: frozenset[int] | None = None  # None = every shop


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: int
    shop_id: int
    shop_name: str
    shop_color: str
    platform: str  # platform id
    platform_name: str  # display name from the adapter, or the id if it is not loaded
    buyer_nick: str
    preview: str
    last_message_at: int  # ms since epoch
    waiting_since: int | None  # ms; None = nobody waits
    unread: int
    state: str
    sort_key: tuple[int, int, int]  # smaller sorts first: waiting longest at the top


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    conversation_id: int
    direction: str  # "in" | "out"
    sender: str
    kind: str
    text: str
    sent_at: int  # ms
    state: str  # received | pending | sent | failed
    error: str = ""  # the outbox error of a failed outgoing message
    outbox_id: int | None = None  # to retry a failed one


@dataclass(frozen=True, slots=True)
class OrderItemRow:
    title: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class OrderRow:
    id: int
    shop_id: int
    platform_order_id: str
    status: str  # normalized OrderStatus value
    raw_status: str
    total: Decimal
    currency: str
    created_at: int
    paid_at: int | None
    shipped_at: int | None
    receiver_masked: str
    seller_memo: str
    flag_value: int | None
    flag_color: str  # unified FlagColor value ("none" when unset)
    flag_label: str
    courier: str
    waybill: str
    items: tuple[OrderItemRow, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ShopRow:
    id: int
    name: str
    platform: str
    platform_name: str
    platform_shop_id: str
    color: str
    enabled: bool
    health: str  # connecting | connected | degraded | needs_login | rate_limited | disabled
    health_detail: str
    health_until: int | None  # ms, for rate_limited
    last_sync_at: int | None


@dataclass(frozen=True, slots=True)
class ChangeNotice:
    """What the engine changed, by id, so views refresh only the touched rows."""

    conversations: frozenset[int] = frozenset()  # rows to refresh in the inbox
    new_conversations: frozenset[int] = frozenset()  # rows to insert
    messages: frozenset[int] = frozenset()  # conversations whose message list changed
    orders: frozenset[int] = frozenset()  # conversations whose buyer's orders changed
    shops: frozenset[int] = frozenset()  # shops whose health changed
    # (conversation id, buyer nick, text) of new buyer messages: tray + sound
    buyer_messages: tuple[tuple[int, str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.conversations
            or self.new_conversations
            or self.messages
            or self.orders
            or self.shops
            or self.buyer_messages
        )
