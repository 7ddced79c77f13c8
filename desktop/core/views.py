"""Plain read-only rows that core query functions hand the UI (no ORM objects)."""

from __future__ import annotations

import enum
import re
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
    # "wait": the longest-waiting buyer first; "deadline": the platform's reply deadline
    # that runs out first (clocks.py), then waiting chats without one, then the rest
    sort: str = "wait"


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
    # The platform's reply deadline for the waiting buyer (ms; None: no rule or nobody
    # waits) and the rule's length in seconds (clocks.clock_state)
    reply_due_at: int | None = None
    reply_window_s: int = 0


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
    origin: str = ""  # "" a person wrote it; welcome | busy | away (auto-replies) | dunning


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
    # tag changes still on their way to a platform that keeps buyer tags (Shopify)
    tag_sync: TagSync | None = None


@dataclass(frozen=True, slots=True)
class TagSync:
    """The buyer's tag changes the outbox has not delivered to the platform yet."""

    pending: int  # still trying
    failed: int  # given up until a manual retry
    error: str  # the platform's last error
    outbox_ids: tuple[int, ...]  # what a retry sends again


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
    push_state: str = ""  # "" no push | live | retrying | off (polled instead; push_detail says why)
    push_detail: str = ""


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
    phrases: bool = False  # the quick-reply library or a seat's favourites changed
    red_lines: bool = False  # the team's red-line rules changed
    handovers: frozenset[int] = frozenset()  # handovers written, sent, acknowledged or ticked
    follow_ups: bool = False  # a follow-up promise was made or kept
    shifts: bool = False  # the shifts, their rosters or the handover settings changed
    # changes may have been missed (team mode: the notice channel reconnected): views reload
    everything: bool = False

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
        """Anything to tell at all (field-generic: a new field cannot be forgotten here)."""
        return any(getattr(self, f.name) for f in fields(self))


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


# -- quick replies and platform red lines (issue 5) --------------------------------------------
class PhraseStage(str, enum.Enum):
    """The workflow stages a quick-reply library is organised by (DOMAIN.md: 欢迎 → 沟通 →
    议价 → 支付 → 售后 → 欢送), in that order."""

    GREETING = "greeting"  # 欢迎
    PRODUCT = "product"  # 商品咨询
    BARGAIN = "bargain"  # 议价: escalating answers for repeat hagglers
    PAYMENT = "payment"  # 支付
    LOGISTICS = "logistics"  # 物流
    FAREWELL_SALE = "farewell_sale"  # 欢送 after a sale (+ 好评)
    FAREWELL_NO_SALE = "farewell_no_sale"  # 欢送 without one
    DUNNING = "dunning"  # 催付
    AFTERSALE = "aftersale"  # 售后
    OTHER = "other"


# A line holding only "---" separates a phrase's escalating answers.
_ANSWER_BREAK = re.compile(r"\n[ \t]*-{3,}[ \t]*(?:\n|$)")


def phrase_answers(text: str) -> tuple[str, ...]:
    """A phrase's answers in escalating order (most phrases have one)."""
    answers = tuple(a.strip() for a in _ANSWER_BREAK.split(text.strip()))
    return tuple(a for a in answers if a) or ("",)


@dataclass(frozen=True, slots=True)
class PhraseDraft:
    """What an agent edits about a quick reply (快捷短语)."""

    stage: str  # PhraseStage value
    title: str
    text: str  # with {买家}-style variables; escalating answers separated by a "---" line
    shortcut: str = ""  # typed after "/" it ranks the phrase first
    team: bool = False  # the team's shared library; else the signed-in seat's own
    shop_id: int | None = None  # only in this shop's chats, where it overrides the
    # phrase of the same stage and title that serves every shop


@dataclass(frozen=True, slots=True)
class PhraseRow:
    id: int
    stage: str
    title: str
    text: str
    shortcut: str
    team: bool
    shop_id: int | None
    shop_name: str
    keys: str  # the title's pinyin (initials, then full) for the picker's search
    position: int  # order within its stage
    updated_by: str
    updated_at: int
    slot: int | None = None  # Ctrl+slot inserts it (the seat's favourite, else the team's)
    uses: int = 0  # times picked in the conversation asked about: the next answer to offer

    @property
    def answers(self) -> tuple[str, ...]:
        return phrase_answers(self.text)

    @property
    def next_answer(self) -> int:
        """Index of the answer to offer now: each pick in a chat escalates, the last stays."""
        return min(self.uses, len(self.answers) - 1)

    def draft(self) -> PhraseDraft:
        return PhraseDraft(self.stage, self.title, self.text, self.shortcut, self.team, self.shop_id)


@dataclass(frozen=True, slots=True)
class PhraseImportReport:
    """What a CSV import of quick replies did."""

    rows: int
    added: int
    updated: int  # same scope, shop, stage and title: the text was replaced
    skipped: tuple[tuple[int, str], ...] = ()  # (line number, why)


class RedLineCategory(str, enum.Enum):
    """What kind of platform rule a red line enforces (平台红线)."""

    OFF_PLATFORM = "off_platform"  # 引导站外: WeChat/QQ ids, phone numbers, links, other platforms
    PAYMENT = "payment"  # 站外支付 / 私下交易
    ABSOLUTE = "absolute"  # 绝对化用语 / 极限词 (advertising law)
    REVIEW_BAIT = "review_bait"  # 好评返现
    INVOICE = "invoice"  # refusing an invoice the shop must issue
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class RedLineRule:
    """One rule of a platform's set: shipped in resources/redlines/, or the team's edit."""

    key: str  # "wechat-id"; unique within its platform (a later set replaces an inherited key)
    platform: str  # the set that declares it: a platform id, or "common"
    category: str  # RedLineCategory value
    kind: str  # "regex" | "words" (one word or phrase per line, matched case-insensitively)
    pattern: str
    explain: str  # why the platform punishes it, shown beside the highlighted span
    allow: tuple[str, ...] = ()  # a match containing one of these is fine (e.g. the platform's domains)
    enabled: bool = True
    origin: str = "shipped"  # shipped | edited (the team changed a shipped rule) | added
    updated_by: str = ""
    updated_at: int | None = None


@dataclass(frozen=True, slots=True)
class RedLineHit:
    """A span of a reply that crosses a rule."""

    start: int  # str indices into the checked text
    end: int
    rule: str  # RedLineRule.key
    platform: str  # the set that declares the rule
    category: str
    explain: str
    matched: str


@dataclass(frozen=True, slots=True)
class RedLineOverrideRow:
    """One logged override: a reply sent (or a phrase saved) despite red-line hits."""

    id: int
    at: int
    kind: str  # send | phrase
    seat_id: int | None
    seat_name: str
    conversation_id: int | None
    platform: str
    rules: tuple[str, ...]
    matched: tuple[str, ...]
    text: str
    ref_id: int | None  # the message (send) or phrase id


# -- search (issue 5) ----------------------------------------------------------------------------
class SearchGroup(str, enum.Enum):
    """The result groups of the one search box, in the order they are shown."""

    MESSAGES = "messages"
    BUYERS = "buyers"
    ORDERS = "orders"
    REMARKS = "remarks"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result, and where Enter takes the agent: the chat (scrolled to
    the message), or the order."""

    group: str  # SearchGroup value
    id: int  # message / conversation / order / remark id
    shop_id: int
    shop_name: str
    shop_color: str
    title: str  # the buyer's nick (messages, buyers); the order number (orders, remarks)
    # The matched text around the match, whitespace collapsed: (piece, is the match).
    # Raw text: the UI escapes it (a buyer's "<b>" is shown as typed).
    snippet: tuple[tuple[str, bool], ...]
    at: int  # ms: when sent / the chat's last message / the order or remark was made
    conversation_id: int | None = None  # the chat to open (messages, buyers; orders when known)
    order_id: int | None = None  # orders, remarks
    message_id: int | None = None  # messages: the one to scroll to
    direction: str = ""  # messages: in | out

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.snippet)


@dataclass(frozen=True, slots=True)
class SearchResults:
    """Every group's first results, newest first."""

    query: str
    groups: tuple[tuple[str, tuple[SearchHit, ...]], ...] = ()  # (SearchGroup value, hits)
    more: frozenset[str] = frozenset()  # groups cut at the limit
    elapsed_ms: float = 0.0

    def hits(self, group: str) -> tuple[SearchHit, ...]:
        return next((hits for name, hits in self.groups if name == group), ())

    def __len__(self) -> int:
        return sum(len(hits) for _, hits in self.groups)


# -- auto-replies, dunning, reply clocks (issue 5) ----------------------------------------------
AUTO_REPLY_KINDS = ("welcome", "busy", "away")  # messages.origin of each auto-reply line
DEFAULT_WELCOME = "您好，欢迎光临{店铺}～请问有什么可以帮您？本店支持7天无理由退换货。"
DEFAULT_BUSY = "亲，当前咨询的买家较多，客服正在逐一回复，请稍候，我们会尽快为您解答～"
DEFAULT_AWAY = ("亲，现在是非工作时间（客服在线 {营业时间}），您的留言我们已收到，"
                "上班后第一时间回复您～")


@dataclass(frozen=True, slots=True)
class AutoReplySettings:
    """One shop's auto-replies (core/autoreply.py). All off until someone turns them on."""

    welcome: bool = False
    welcome_text: str = DEFAULT_WELCOME
    welcome_hours: int = 24  # at most one welcome per buyer in this many hours
    busy: bool = False
    busy_text: str = DEFAULT_BUSY
    busy_minutes: int = 30
    away: bool = False
    away_text: str = DEFAULT_AWAY
    away_hours: int = 12
    open_from: str = "08:00"  # business hours, in `timezone` ("HH:MM"; until < from: past midnight)
    open_until: str = "23:00"
    timezone: str = "Asia/Shanghai"

    @property
    def enabled(self) -> bool:
        return self.welcome or self.busy or self.away


class ClockState(str, enum.Enum):
    """How close a waiting chat is to its reply deadline: the inbox's escalating highlight."""

    NONE = "none"  # no deadline (no rule, nobody waits)
    PENDING = "pending"  # outside the platform's hours: the clock has not started
    CALM = "calm"
    SOON = "soon"  # half the time is gone
    URGENT = "urgent"  # the last sixth (at least the last 30 s)
    OVERDUE = "overdue"


def clock_state(due_at: int | None, window_s: int, now: int) -> ClockState:
    """ConversationRow.reply_due_at / reply_window_s → the state at `now` (ms)."""
    if due_at is None:
        return ClockState.NONE
    left = due_at - now
    window = max(1, window_s) * 1000
    if left <= 0:
        return ClockState.OVERDUE
    if left > window:
        return ClockState.PENDING
    if left <= max(30_000, window // 6):
        return ClockState.URGENT
    if left <= window // 2:
        return ClockState.SOON
    return ClockState.CALM


@dataclass(frozen=True, slots=True)
class ResponseStatRow:
    """One seat's answers in one shop over a period (or a sum of such rows)."""

    seat_id: int | None  # None: answered without a signed-in seat
    seat_name: str
    shop_id: int | None  # None: every shop (a seat's total)
    shop_name: str
    first_replies: int  # receptions answered
    first_total_ms: int
    replies: int  # every answer to a waiting buyer, first ones included
    total_ms: int
    timed: int = 0  # answers in shops whose platform sets a deadline
    in_time: int = 0  # of which within it

    @property
    def first_avg_s(self) -> float | None:
        return self.first_total_ms / self.first_replies / 1000 if self.first_replies else None

    @property
    def avg_s(self) -> float | None:
        return self.total_ms / self.replies / 1000 if self.replies else None

    @property
    def in_time_rate(self) -> float | None:
        return self.in_time / self.timed if self.timed else None

    @classmethod
    def total(cls, rows: Iterable[ResponseStatRow], seat_id: int | None,
              seat_name: str) -> ResponseStatRow:
        """Several rows summed: a seat over all shops, or the team."""
        rows = list(rows)
        return cls(seat_id, seat_name, None, "",
                   sum(r.first_replies for r in rows), sum(r.first_total_ms for r in rows),
                   sum(r.replies for r in rows), sum(r.total_ms for r in rows),
                   sum(r.timed for r in rows), sum(r.in_time for r in rows))


DEFAULT_DUN_INTERVAL_HOURS = 24
# The same two variants the default quick-reply library carries under 催付.
DEFAULT_DUN_ASKED = ("亲，刚才聊到的宝贝已经帮您留好了～订单（{订单号}）还没有付款，"
                     "现在付款今天就能安排发货，早一点收到早一点用上哦～")
DEFAULT_DUN_SILENT = ("亲，看到您拍下了宝贝（订单号 {订单号}）还没有付款，麻烦核对一下收货地址，"
                      "确认无误现在付款今天就能发出哦～")
PAID_STATES = ("paid", "shipped", "completed", "refunding")  # paid, whatever came after


@dataclass(frozen=True, slots=True)
class DunningSettings:
    """The team's dunning (催付) rules: the interval per platform and the two templates
    (the team's, and any shop's own) — core/dunning.py."""

    asked_text: str = DEFAULT_DUN_ASKED  # for a buyer who wrote before ordering
    silent_text: str = DEFAULT_DUN_SILENT  # for one who ordered without a word
    # platform id → hours between two dunnings of one buyer in one shop
    interval_hours: dict[str, int] = field(default_factory=dict)
    # shop id (as text, JSON keys) → {"asked": text, "silent": text}; missing → the team's
    shop_templates: dict[str, dict[str, str]] = field(default_factory=dict)

    def hours(self, platform: str) -> int:
        return self.interval_hours.get(platform, DEFAULT_DUN_INTERVAL_HOURS)

    def interval_ms(self, platform: str) -> int:
        return self.hours(platform) * 3_600_000

    def template(self, shop_id: int, variant: str) -> str:
        own = self.shop_templates.get(str(shop_id), {}).get(variant, "").strip()
        return own or (self.asked_text if variant == "asked" else self.silent_text)


@dataclass(frozen=True, slots=True)
class UnpaidRow:
    """An unpaid order as the dunning view lists it."""

    id: int  # the order's id
    shop_id: int
    shop_name: str
    shop_color: str
    platform: str
    platform_order_id: str
    buyer_id: int
    buyer_nick: str
    conversation_id: int | None  # the buyer's chat in that shop
    total: Decimal
    currency: str
    created_at: int
    item: str  # the first item's title
    asked: bool  # the buyer wrote in the shop before ordering (the "asked" template)
    last_dunned_at: int | None = None  # this buyer in this shop, within the interval
    last_dunned_by: str = ""
    next_allowed_at: int | None = None  # None: may be dunned now
    order_dunned_at: int | None = None  # this order's latest dunning, ever

    @property
    def variant(self) -> str:
        return "asked" if self.asked else "silent"


@dataclass(frozen=True, slots=True)
class DunRefusal:
    """Why an order was not dunned. Codes: missing, not_unpaid (detail: its status),
    cannot_send (detail: the platform, which sends no messages), too_soon (dunned at
    `at` by `by`; allowed again at `next_at`, `hours` apart), no_chat (no chat with the
    buyer to send to), template (detail: the variables the order cannot fill)."""

    order_id: int
    code: str
    detail: str = ""
    at: int | None = None
    by: str = ""
    next_at: int | None = None
    hours: int = 0

    @property
    def reason(self) -> str:
        """The reason in plain English (the UI words it in the agent's language)."""
        if self.code == "too_soon":
            return (f"this buyer was already dunned in this shop by {self.by}; the platform "
                    f"allows one dunning per buyer and shop every {self.hours} h")
        return {"missing": "no such order",
                "not_unpaid": f"the order is {self.detail}, not unpaid",
                "cannot_send": f"{self.detail} cannot send messages",
                "no_chat": "there is no chat with this buyer to send to",
                "template": f"the template needs {self.detail}, which the order has not got",
                }.get(self.code, self.code)


@dataclass(frozen=True, slots=True)
class DunSent:
    order_id: int
    conversation_id: int
    message_id: int
    variant: str  # asked | silent


@dataclass(frozen=True, slots=True)
class DunReport:
    sent: tuple[DunSent, ...] = ()
    refused: tuple[DunRefusal, ...] = ()

    def notice(self) -> ChangeNotice:
        convs = frozenset(s.conversation_id for s in self.sent)
        return ChangeNotice(messages=convs, conversations=convs,
                            order_ids=frozenset(s.order_id for s in self.sent))


@dataclass(frozen=True, slots=True)
class DunnedRow:
    """An order dunned in the period, with what became of it."""

    id: int  # the order's id
    shop_id: int
    shop_name: str
    shop_color: str
    platform_order_id: str
    buyer_nick: str
    conversation_id: int | None
    total: Decimal
    currency: str
    created_at: int
    dunned_at: int  # its first dunning in the period
    dunned_by: str
    variant: str
    times: int  # dunnings of it in the period
    status: str  # the order's status now
    paid_at: int | None

    @property
    def recovered(self) -> bool:
        """Paid after the dunning (a platform without a payment time: paid at all)."""
        if self.paid_at is not None:
            return self.paid_at >= self.dunned_at
        return self.status in PAID_STATES


@dataclass(frozen=True, slots=True)
class DunningSummary:
    dunned: int  # orders dunned in the period
    paid: int  # of which paid after it
    recovered: tuple[tuple[str, Decimal], ...]  # (currency, amount) of those, largest first

    @classmethod
    def of(cls, rows: Iterable[DunnedRow]) -> DunningSummary:
        rows = list(rows)
        paid = [r for r in rows if r.recovered]
        amounts: dict[str, Decimal] = {}
        for r in paid:
            amounts[r.currency] = amounts.get(r.currency, Decimal(0)) + r.total
        return cls(len(rows), len(paid),
                   tuple(sorted(amounts.items(), key=lambda kv: (-kv[1], kv[0]))))


# -- shifts and handover (issue 6) ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ShiftRow:
    """A shift (班次) and its roster (排班)."""

    id: int
    name: str  # 早班
    start: str  # "08:30", the team's local time (HandoverSettings.timezone)
    end: str  # "17:30"; end < start = past midnight
    weekdays: frozenset[int]  # 0=Monday … 6=Sunday
    seat_ids: frozenset[int]  # the roster: seats working this shift (on those weekdays)


class HandoverItemKind(str, enum.Enum):
    CHAT = "chat"  # a chat of mine still waiting for a reply
    FOLLOW_UP = "follow_up"  # a promise: "remind me / the next shift at T"
    UNPAID = "unpaid"  # an unpaid order not yet dunned
    CASE = "case"  # an open after-sale case
    REMARK = "remark"  # a remark written this shift on an order not yet shipped
    TAGGED = "tagged"  # a buyer tagged for follow-up (HandoverSettings.follow_up_tag)
    NOTE = "note"  # a free item the author typed


class ItemState(str, enum.Enum):
    TODO = "todo"
    DONE = "done"
    DROPPED = "dropped"  # the author or reader decided it needs nothing


@dataclass(frozen=True, slots=True)
class HandoverItemRow:
    id: int  # 0 in a draft not saved yet
    kind: HandoverItemKind
    title: str  # what the list shows: "tb_小橘子 · 等待 12 分钟: 能改地址吗" (built by core)
    note: str  # the author's annotation
    state: ItemState
    conversation_id: int | None = None  # the links (any may be set)
    order_id: int | None = None
    case_id: int | None = None
    buyer_id: int | None = None
    shop_name: str = ""
    due_at: int | None = None  # ms, follow-ups
    done_by: str = ""
    done_at: int | None = None
    carried_from: int | None = None  # the item id of an earlier handover it continues
    # what the links are, readably (买家昵称 @店铺 · 订单号 … · 售后单号 #…): exports, tooltips
    ref: str = ""
    follow_up_id: int | None = None  # a FOLLOW_UP item's promise: ticking the item keeps it
    # a later sent handover that took this item on (carried it, or holds the same link):
    # a TODO item with one is no longer this handover's to do
    carried_to: int | None = None


@dataclass(frozen=True, slots=True)
class AckRow:
    seat_id: int
    seat_name: str
    at: int


@dataclass(frozen=True, slots=True)
class HandoverRow:
    """A shift handover note (交接单): drafted from what is open, sent, acknowledged."""

    id: int  # 0 = a draft not saved yet
    author_seat_id: int
    author: str
    shift_id: int | None  # the outgoing shift
    to_shift_id: int | None  # addressed to the next shift …
    to_seat_ids: frozenset[int]  # … and/or to named seats
    text: str  # free text
    state: str  # "draft" | "sent"
    created_at: int
    sent_at: int | None
    items: tuple[HandoverItemRow, ...]
    acks: tuple[AckRow, ...]

    def todo(self) -> int:
        """Items still to do."""
        return sum(1 for item in self.items if item.state is ItemState.TODO)

    def overdue(self, now_ms: int, hours: int) -> tuple[HandoverItemRow, ...]:
        """TODO items sent more than `hours` ago that no later handover took on (the
        lead's report; HandoverSettings.overdue_hours)."""
        if self.sent_at is None or now_ms - self.sent_at <= hours * 3_600_000:
            return ()
        return tuple(i for i in self.items if i.state is ItemState.TODO and i.carried_to is None)

    def acknowledged_by(self, seat_id: int) -> bool:
        return any(a.seat_id == seat_id for a in self.acks)


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    id: int
    conversation_id: int
    buyer_nick: str
    shop_name: str
    due_at: int  # ms
    note: str
    for_seat_id: int | None  # None = whoever works the next shift
    created_by: str
    state: str  # "open" | "done"
    done_by: str = ""
    done_at: int | None = None
    buyer_id: int = 0


@dataclass(frozen=True, slots=True)
class HandoverFilter:
    text: str = ""  # in free text, item titles and notes
    author_seat_id: int | None = None
    since: int | None = None  # ms, on when it was sent (a draft: created)
    until: int | None = None
    unacknowledged_by: int | None = None  # seat id: handovers addressed to it it has not acknowledged
    with_todo: bool | None = None


@dataclass(frozen=True, slots=True)
class HandoverSettings:
    """The team's handover rules (core/shifts.py; team_settings, so a lead's change reaches
    every seat)."""

    follow_up_tag: str = "待跟进"  # buyers with this tag go into the handover draft
    timezone: str = "Asia/Shanghai"  # shift times are local times of this zone
    remind_minutes: int = 15  # the end-of-shift reminder, this long before the shift ends
    overdue_hours: int = 4  # a TODO item is overdue this long after its handover was sent
