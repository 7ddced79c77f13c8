"""Plain read-only rows that core query functions hand the UI (no ORM objects)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal


class InboxState(str, enum.Enum):
    WAITING = "waiting"  # a buyer waits for an answer
    ALL = "all"  # every open conversation
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class InboxFilter:
    state: InboxState = InboxState.ALL
    shop_ids: frozenset[int] | None = None  # None = every shop
    tag_id: int | None = None  # only buyers with this tag
    group_id: int | None = None  # only buyers in this group (both: both must hold)
    seat_id: int | None = None  # only chats this seat holds ("mine", or a seat a lead looks at)
    queue: bool = False  # only open chats nobody holds (the waiting queue)


class LabelKind(str, enum.Enum):
    """Tags (标签) and groups (分组) work alike: named, coloured, many per buyer."""

    TAG = "tag"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class LabelChip:
    """A tag or group as shown on a buyer: name and colour."""

    id: int
    name: str
    color: str  # "#rrggbb"


@dataclass(frozen=True, slots=True)
class LabelRow:
    """A tag or group in the team's catalogue, with how many buyers carry it."""

    id: int
    kind: str  # LabelKind value
    name: str
    color: str
    buyers: int


@dataclass(frozen=True, slots=True)
class TransferNote:
    """Why the chat was handed over: shown at the top of the chat to whoever holds it."""

    by: str  # the seat (display name) that handed it over
    reason: str
    at: int  # ms
    return_at: int | None = None  # goes back unless answered by then


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
    buyer_id: int = 0
    tags: tuple[LabelChip, ...] = ()  # the buyer's tags, in name order
    groups: tuple[LabelChip, ...] = ()
    seat_id: int | None = None  # who holds it; None = in the queue (when open)
    seat_name: str = ""
    assign_version: int = 0  # pass back to transfer/move: the row version it was seen at
    queue_group: str = ""  # waits for a seat of this group
    transfer: TransferNote | None = None  # the last hand-over, shown to the receiver


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
    platform: str = ""  # platform id (for its flag palette and memo limit)
    shop_name: str = ""
    shop_color: str = ""
    buyer_id: int = 0
    buyer_nick: str = ""
    conversation_id: int | None = None  # the buyer's chat in that shop, if there is one
    updated_at: int = 0
    warehouse: str = "unknown"  # sdk WarehouseStage value
    latest_remark: RemarkRow | None = None
    open_cases: int = 0  # after-sale cases of this order not closed yet

    @property
    def memo_reaches_warehouse(self) -> bool:
        """False once the waybill is printed, the parcel packed or shipped: a changed
        memo alone no longer reaches the packer."""
        return self.warehouse not in ("printed", "packed") and self.status not in (
            "shipped", "completed")


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """The orders view across shops. Every field narrows; None / empty = no limit."""

    shop_ids: frozenset[int] | None = None
    statuses: frozenset[str] | None = None  # OrderStatus values
    flag_colors: frozenset[str] | None = None  # FlagColor values; "none" = no flag set
    created_from: int | None = None  # ms, inclusive
    created_to: int | None = None  # ms, exclusive
    text: str = ""  # a substring of the order number or the buyer's nick
    sort: str = "created_at"  # one of ORDER_SORTS
    descending: bool = True


ORDER_SORTS = ("created_at", "updated_at", "total", "status", "shop", "buyer")


@dataclass(frozen=True, slots=True)
class RemarkRow:
    """One remark (备注) in an order's local history, newest first."""

    id: int
    order_id: int
    author: str  # the seat's display name; "" when source is "platform"
    text: str  # what the agent wrote
    memo: str  # the full memo pushed to the platform (text + author and time)
    flag_value: int | None  # the platform's own flag value
    flag_color: str  # unified FlagColor value
    flag_label: str
    created_at: int
    # pending | synced | failed | platform ("platform" = changed on the platform side)
    state: str
    source: str = "team"  # team | platform
    error: str = ""  # the platform's error while failed (retries go on unless given up)
    outbox_id: int | None = None  # to retry a failed one


class CaseKind(str, enum.Enum):
    """After-sale case types (退换货登记)."""

    REFUND_ONLY = "refund_only"  # 仅退款
    RETURN_REFUND = "return_refund"  # 退货退款
    EXCHANGE = "exchange"  # 换货
    RESEND = "resend"  # 补发


class CaseState(str, enum.Enum):
    OPEN = "open"
    AWAITING_RETURN = "awaiting_return"
    RECEIVED = "received"
    REFUNDED = "refunded"
    RESENT = "resent"
    CLOSED = "closed"


# The forward path of each kind; a case may also be closed early from any state.
CASE_FLOW: dict[CaseKind, tuple[CaseState, ...]] = {
    CaseKind.REFUND_ONLY: (CaseState.OPEN, CaseState.REFUNDED, CaseState.CLOSED),
    CaseKind.RETURN_REFUND: (CaseState.OPEN, CaseState.AWAITING_RETURN, CaseState.RECEIVED,
                             CaseState.REFUNDED, CaseState.CLOSED),
    CaseKind.EXCHANGE: (CaseState.OPEN, CaseState.AWAITING_RETURN, CaseState.RECEIVED,
                        CaseState.RESENT, CaseState.CLOSED),
    CaseKind.RESEND: (CaseState.OPEN, CaseState.RESENT, CaseState.CLOSED),
}


def next_case_states(kind: str, state: str) -> tuple[str, ...]:
    """Where a case may go from `state`: the next step of its kind, and closed."""
    if state == CaseState.CLOSED.value:
        return ()
    flow = [s.value for s in CASE_FLOW[CaseKind(kind)]]
    out: list[str] = []
    if state in flow and flow.index(state) + 1 < len(flow):
        out.append(flow[flow.index(state) + 1])
    if CaseState.CLOSED.value not in out:
        out.append(CaseState.CLOSED.value)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CaseItemRow:
    title: str
    quantity: int
    sku_id: str = ""


@dataclass(frozen=True, slots=True)
class CaseEventRow:
    """One step in a case's history."""

    from_state: str  # "" for the opening
    to_state: str
    author: str
    at: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    order_id: int
    platform_order_id: str
    shop_id: int
    shop_name: str
    buyer_id: int
    buyer_nick: str
    conversation_id: int | None
    kind: str  # CaseKind value
    reason: str
    return_waybill: str
    state: str  # CaseState value
    note: str
    author: str  # who opened it
    created_at: int
    updated_at: int
    closed_at: int | None
    items: tuple[CaseItemRow, ...] = ()
    history: tuple[CaseEventRow, ...] = ()  # oldest first


@dataclass(frozen=True, slots=True)
class CaseFilter:
    open_only: bool = True
    states: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    shop_ids: frozenset[int] | None = None
    order_id: int | None = None
    buyer_id: int | None = None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One of the buyer's conversations, in this shop or another of the platform."""

    conversation_id: int
    shop_id: int
    shop_name: str
    shop_color: str
    last_message_at: int
    preview: str
    state: str
    messages: int


@dataclass(frozen=True, slots=True)
class BuyerProfile:
    """Everything the buyer panel shows, read at once."""

    buyer_id: int
    platform: str
    platform_name: str
    platform_buyer_id: str
    nick: str
    shop_id: int  # the shop of the conversation it was opened from
    shop_name: str
    tags: tuple[LabelChip, ...]
    groups: tuple[LabelChip, ...]
    note: str
    note_by: str
    note_at: int | None
    history: tuple[HistoryRow, ...]  # this buyer's conversations in the team's shops, newest first
    orders: tuple[OrderRow, ...]  # across those shops, newest first
    cases: tuple[CaseRow, ...]  # after-sale cases, open first then newest


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What a CSV import of tags and groups did."""

    rows: int
    buyers: int  # buyers whose tags or groups changed
    labels_created: int
    skipped: tuple[tuple[int, str], ...] = ()  # (line number, why)


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
    buyers: frozenset[int] = frozenset()  # buyer ids whose tags, groups or note changed
    labels: bool = False  # the tag/group catalogue changed (rename, recolour, merge, delete)
    order_ids: frozenset[int] = frozenset()  # orders whose row, remarks or cases changed
    seats: frozenset[int] = frozenset()  # seats whose status, profile or load changed
    # (conversation id, buyer nick, text) of new buyer messages: tray + sound
    buyer_messages: tuple[tuple[int, str, str], ...] = ()

    @classmethod
    def merge(cls, notices: Iterable[ChangeNotice]) -> ChangeNotice:
        """The union of several notices (sets joined, flags or-ed, tuples chained), so
        a burst costs a view one refresh. Field-generic: a new field cannot be dropped."""
        merged: dict[str, object] = {}
        for notice in notices:
            for f in fields(cls):
                value, old = getattr(notice, f.name), merged.get(f.name)
                if old is None:
                    merged[f.name] = value
                elif isinstance(value, bool):
                    merged[f.name] = bool(old) or value
                else:
                    merged[f.name] = old + value if isinstance(value, tuple) else old | value  # type: ignore[operator]
        return cls(**merged)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(
            self.conversations
            or self.new_conversations
            or self.messages
            or self.orders
            or self.shops
            or self.buyers
            or self.labels
            or self.order_ids
            or self.seats
            or self.buyer_messages
        )


# -- seats, routing and transfer (issue 4) -----------------------------------------------------
class SeatRole(str, enum.Enum):
    AGENT = "agent"
    LEAD = "lead"


@dataclass(frozen=True, slots=True)
class SeatProfile:
    """What a lead edits about a seat."""

    name: str  # the sign-in name, unique
    display_name: str  # what buyers and colleagues see
    role: SeatRole = SeatRole.AGENT
    groups: tuple[str, ...] = ()  # 售前, 售后, ...
    shop_ids: frozenset[int] | None = None  # None = every shop
    max_chats: int = 20
    accounts: tuple[tuple[int, str], ...] = ()  # (shop id, platform sub-account) for platform transfers


@dataclass(frozen=True, slots=True)
class SeatRow:
    """A seat on the lead's board."""

    id: int
    profile: SeatProfile
    status: str  # routing.SeatStatus value as chosen by the seat or a lead
    effective: str  # what routing sees: `status`, or "offline" when its app is gone
    status_at: int  # ms
    chats: int  # open chats it holds
    waiting: int  # of which a buyer waits for an answer
    longest_wait_since: int | None  # ms: when the longest-waiting of its buyers wrote
    replies_last_hour: int
    enabled: bool = True

    @property
    def name(self) -> str:
        return self.profile.display_name

    @property
    def is_lead(self) -> bool:
        return self.profile.role is SeatRole.LEAD


@dataclass(frozen=True, slots=True)
class StatusEventRow:
    seat_id: int
    status: str
    at: int
    by: str


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """One line of a chat's audit log."""

    id: int
    conversation_id: int
    kind: str  # route | transfer | move | release | return | claim | close
    from_seat: str  # display names; "" = the queue
    to_seat: str
    to_group: str
    actor: str
    reason: str
    at: int


@dataclass(frozen=True, slots=True)
class TransferReport:
    """What a transfer or move of one or many chats did."""

    moved: tuple[int, ...] = ()  # conversation ids now with the target
    queued: tuple[int, ...] = ()  # handed to a group with no free seat: waiting for one
    # (conversation id, code, detail) of what did not move. Codes: moved (someone moved
    # it first; detail: who), full ("18/20"), unavailable (the seat's status), not_served
    # (the seat does not serve that shop), same_seat, closed, disabled, missing
    refused: tuple[tuple[int, str, str], ...] = ()
    seats: frozenset[int] = frozenset()  # seats whose load changed

    def notice(self) -> ChangeNotice:
        return ChangeNotice(conversations=frozenset(self.moved + self.queued), seats=self.seats)
