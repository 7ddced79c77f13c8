"""SQLAlchemy models: the one schema every shop's feed is merged into."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Times are stored as integer milliseconds since the epoch (UTC): cheap to index,
# compare and sort on both SQLite and PostgreSQL, and free of timezone drift.
Millis = BigInteger

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Shop(Base):
    __tablename__ = "shops"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(64))
    platform_shop_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200))
    color: Mapped[str] = mapped_column(String(16), default="#607d8b")
    enabled: Mapped[bool] = mapped_column(default=True)
    # JSON of non-secret settings (base_url override, ...). Secrets live in the keyring.
    settings_json: Mapped[str] = mapped_column(Text, default="{}")
    secret_ref: Mapped[str] = mapped_column(String(200), default="")
    health: Mapped[str] = mapped_column(String(32), default="connecting")
    health_detail: Mapped[str] = mapped_column(Text, default="")
    health_until: Mapped[int | None] = mapped_column(Millis, nullable=True)
    last_sync_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    # push: "" (the platform has none), live, retrying, off (PushUnavailable: polled instead)
    push_state: Mapped[str] = mapped_column(String(16), default="", server_default="")
    push_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    __table_args__ = (UniqueConstraint("platform", "platform_shop_id", name="uq_shops_platform_shop"),)


class Buyer(Base):
    __tablename__ = "buyers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(64))
    platform_buyer_id: Mapped[str] = mapped_column(String(128))
    nick: Mapped[str] = mapped_column(String(200), default="")
    # The team's shared free-text note on this buyer (every shop of the platform).
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    note_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    note_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    __table_args__ = (UniqueConstraint("platform", "platform_buyer_id", name="uq_buyers_platform_buyer"),)


class Label(Base):
    """A tag (标签) or a group (分组) in the team's catalogue."""

    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # tag | group
    name: Mapped[str] = mapped_column(String(64))
    color: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[int] = mapped_column(Millis)
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_labels_kind_name"),)


class BuyerLabel(Base):
    __tablename__ = "buyer_labels"
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id", ondelete="CASCADE"),
                                          primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"),
                                          primary_key=True)
    author: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[int] = mapped_column(Millis)
    # label → buyers, for the inbox's tag and group filters
    __table_args__ = (Index("ix_buyer_labels_label", "label_id", "buyer_id"),)


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"))
    platform_conv_id: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    last_message_at: Mapped[int] = mapped_column(Millis, default=0)
    last_preview: Mapped[str] = mapped_column(String(200), default="")
    last_direction: Mapped[str] = mapped_column(String(8), default="in")
    last_out_at: Mapped[int] = mapped_column(Millis, default=0)
    # When the oldest buyer message still without an answer arrived; NULL = nobody waits.
    waiting_since: Mapped[int | None] = mapped_column(Millis, nullable=True)
    unread_count: Mapped[int] = mapped_column(Integer, default=0)
    # Who holds the chat (NULL: it waits in the queue, or nobody needs it), guarded by
    # a row version: every assignment change is `... WHERE assign_version = seen`.
    # (no foreign key: adding one would make SQLite copy the whole table on upgrade)
    seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    assign_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    assigned_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    # Who served it last and when (kept when the chat ends): routing's buyer affinity.
    last_seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_seat_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    # Handed to a group with no free seat: it waits for a seat of that group.
    queue_group: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # The last transfer, which the receiver sees at the top of the chat.
    transfer_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    transfer_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    transfer_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    # Return timer: unanswered by `return_at`, the chat goes back to `return_seat_id`
    # (NULL: to the queue).
    return_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    return_seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (
        UniqueConstraint("shop_id", "platform_conv_id", name="uq_conversations_shop_conv"),
        # a seat's chats and the queue (seat_id IS NULL); ingest never writes seat_id
        Index("ix_conversations_seat", "seat_id", "state"),
        # No index on waiting_since / last_message_at: every ingested batch
        # rewrites them, and sorting ~20k open rows costs a few ms (bench_ingest).
        Index("ix_conversations_buyer", "buyer_id"),
    )


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    shop_id: Mapped[int] = mapped_column(Integer)
    # NULL while our own outgoing message waits in the outbox.
    platform_msg_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    client_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    direction: Mapped[str] = mapped_column(String(8))
    sender: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[int] = mapped_column(Millis)
    state: Mapped[str] = mapped_column(String(16), default="received")  # received|pending|sent|failed
    # The seat that wrote our outgoing message (NULL for everything the feeds bring).
    seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # "" for what a person wrote (and everything the feeds bring); else what sent it:
    # an auto-reply (welcome | busy | away) or a dunning template (dunning). Such a
    # message is never the human answer a reply clock waits for (clocks.py).
    # (no Python default: ingest's compiled bulk insert leaves the column to the server)
    origin: Mapped[str] = mapped_column(String(16), server_default="")
    __table_args__ = (
        UniqueConstraint("shop_id", "platform_msg_id", name="uq_messages_shop_msg"),
        Index("ix_messages_conv_time", "conversation_id", "sent_at"),
        # Partial: only our own outgoing messages carry a key, so ingest of
        # buyer messages pays nothing for it.
        Index(
            "ix_messages_client_key",
            "client_key",
            sqlite_where=sql_text("client_key IS NOT NULL"),
            postgresql_where=sql_text("client_key IS NOT NULL"),
        ),
        # replies per seat and hour for the lead's board; partial, like the one above
        Index(
            "ix_messages_seat_time",
            "seat_id",
            "sent_at",
            sqlite_where=sql_text("seat_id IS NOT NULL"),
            postgresql_where=sql_text("seat_id IS NOT NULL"),
        ),
    )


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"))
    platform_order_id: Mapped[str] = mapped_column(String(128))
    platform_conv_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    raw_status: Mapped[str] = mapped_column(String(64), default="")
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[int] = mapped_column(Millis)
    updated_at: Mapped[int] = mapped_column(Millis)
    paid_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    shipped_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    receiver_masked: Mapped[str] = mapped_column(Text, default="")
    seller_memo: Mapped[str] = mapped_column(Text, default="")
    seller_flag: Mapped[int | None] = mapped_column(Integer, nullable=True)
    courier: Mapped[str] = mapped_column(String(64), default="")
    waybill: Mapped[str] = mapped_column(String(64), default="")
    warehouse: Mapped[str] = mapped_column(String(16), default="unknown", server_default="unknown")
    __table_args__ = (
        UniqueConstraint("shop_id", "platform_order_id", name="uq_orders_shop_order"),
        Index("ix_orders_buyer", "buyer_id", "created_at"),
        Index("ix_orders_created", "created_at"),  # the orders view's default order
        Index("ix_orders_status_created", "status", "created_at"),  # the unpaid (催付) view
    )


class OrderLine(Base):
    __tablename__ = "order_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[str] = mapped_column(String(128), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(14, 2))


class Remark(Base):
    """Every remark the team wrote (the platform keeps only the latest)."""

    __tablename__ = "remarks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)  # what the agent wrote
    flag: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[int] = mapped_column(Millis)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|synced|failed|platform
    # The memo pushed to the platform: the text with author and time in the team's format.
    memo: Mapped[str] = mapped_column(Text, default="", server_default="")
    source: Mapped[str] = mapped_column(String(16), default="team", server_default="team")
    # a seat's remarks of its shift, for the handover draft (issue 6)
    __table_args__ = (Index("ix_remarks_author_created", "author", "created_at"),)


class AfterSaleCase(Base):
    """An after-sale case (退换货登记) registered on an order."""

    __tablename__ = "aftersale_cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("buyers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # views.CaseKind
    reason: Mapped[str] = mapped_column(Text, default="")
    return_waybill: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default="open")  # views.CaseState
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[int] = mapped_column(Millis)
    updated_at: Mapped[int] = mapped_column(Millis)
    closed_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    __table_args__ = (Index("ix_aftersale_cases_state", "state", "updated_at"),)


class AfterSaleItem(Base):
    __tablename__ = "aftersale_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersale_cases.id", ondelete="CASCADE"),
                                         index=True)
    sku_id: Mapped[str] = mapped_column(String(128), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)


class AfterSaleEvent(Base):
    """One step of a case: who moved it from which state to which, when, why."""

    __tablename__ = "aftersale_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("aftersale_cases.id", ondelete="CASCADE"),
                                         index=True)
    from_state: Mapped[str] = mapped_column(String(16), default="")
    to_state: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(100))
    at: Mapped[int] = mapped_column(Millis)
    note: Mapped[str] = mapped_column(Text, default="")


class OutboxItem(Base):
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # send_message | set_remark | transfer
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    payload_json: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[int] = mapped_column(Millis, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[int] = mapped_column(Millis)
    done_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    # What the local effect was: a message row, a remark row, ...
    ref_table: Mapped[str] = mapped_column(String(32), default="")
    ref_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)


class SyncCursor(Base):
    __tablename__ = "sync_cursors"
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"), primary_key=True)
    feed: Mapped[str] = mapped_column(String(16), primary_key=True)  # messages | orders
    cursor: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[int] = mapped_column(Millis, default=0)


class Seat(Base):
    """A seat (客服坐席): who an app signs in as, what it serves, how much it takes."""

    __tablename__ = "seats"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="agent")  # agent | lead
    groups_json: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # JSON list of shop ids it serves; NULL = every shop
    shop_ids_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    max_chats: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    # its platform sub-account per shop id, for platform-side transfers: {"3": "店铺:小王"}
    accounts_json: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    enabled: Mapped[bool] = mapped_column(default=True, server_default=sql_text("true"))
    # the status the seat (or a lead) chose; without a fresh heartbeat it counts as offline
    status: Mapped[str] = mapped_column(String(16), default="offline", server_default="offline")
    status_at: Mapped[int] = mapped_column(Millis, default=0, server_default="0")
    heartbeat_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    last_assigned_at: Mapped[int] = mapped_column(Millis, default=0, server_default="0")


class SeatStatusEvent(Base):
    """The status timeline, for the lead's reports."""

    __tablename__ = "seat_status_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("seats.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[int] = mapped_column(Millis)
    by: Mapped[str] = mapped_column(String(100), default="")
    __table_args__ = (Index("ix_seat_status_events_seat", "seat_id", "at"),)


class Assignment(Base):
    """The audit log of who held a chat: every routing, transfer, move, release, return."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    from_seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_group: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16))  # route|transfer|move|release|return|claim|close
    actor: Mapped[str] = mapped_column(String(100))  # the seat's display name, or "routing"
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[int] = mapped_column(Millis)
    __table_args__ = (Index("ix_assignments_conversation", "conversation_id", "at"),)


class TeamSetting(Base):
    """Settings the whole team shares (the routing rules): JSON per key."""

    __tablename__ = "team_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)



# -- quick replies and platform red lines (issue 5) --------------------------------------------
class Phrase(Base):
    """A quick reply (快捷短语): the team's (seat_id NULL) or one seat's own."""

    __tablename__ = "phrases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seats.id", ondelete="CASCADE"),
                                                nullable=True)
    # only in this shop's chats (overrides the all-shops phrase of the same stage and title)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"),
                                                nullable=True)
    stage: Mapped[str] = mapped_column(String(24))  # views.PhraseStage
    title: Mapped[str] = mapped_column(String(100))
    shortcut: Mapped[str] = mapped_column(String(32), default="")
    text: Mapped[str] = mapped_column(Text)
    keys: Mapped[str] = mapped_column(Text, default="")  # the title's pinyin, for search
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[int] = mapped_column(Millis)
    __table_args__ = (Index("ix_phrases_seat", "seat_id", "stage"),)


class PhraseFavorite(Base):
    """Ctrl+slot (1…9) inserts the phrase: a seat's own pick, else the team's (seat_id NULL)."""

    __tablename__ = "phrase_favorites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat_id: Mapped[int | None] = mapped_column(ForeignKey("seats.id", ondelete="CASCADE"),
                                                nullable=True)
    slot: Mapped[int] = mapped_column(Integer)
    phrase_id: Mapped[int] = mapped_column(ForeignKey("phrases.id", ondelete="CASCADE"))
    __table_args__ = (Index("ix_phrase_favorites_seat", "seat_id", "slot"),)


class PhraseUse(Base):
    """A phrase picked in a chat: the next pick of it there offers the next answer."""

    __tablename__ = "phrase_uses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phrase_id: Mapped[int] = mapped_column(ForeignKey("phrases.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"))
    seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[int] = mapped_column(Millis)
    __table_args__ = (Index("ix_phrase_uses_conversation", "conversation_id", "phrase_id"),)


class RedLineRuleEdit(Base):
    """The team's change to a platform's red-line set: a shipped rule edited or switched
    off (same platform and key), or a rule of its own. Kept in the store, not a file, so
    in team mode one lead's edit reaches every seat."""

    __tablename__ = "red_line_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(64))  # a platform id, or "common"
    key: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(8))  # regex | words
    pattern: Mapped[str] = mapped_column(Text)
    explain: Mapped[str] = mapped_column(Text, default="")
    allow: Mapped[str] = mapped_column(Text, default="")  # one per line
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[int] = mapped_column(Millis)
    __table_args__ = (UniqueConstraint("platform", "key", name="uq_red_line_rules_platform_key"),)


class RedLineOverride(Base):
    """The log of replies sent (and phrases saved) despite a red-line hit: who, when,
    which rules, what text."""

    __tablename__ = "red_line_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[int] = mapped_column(Millis)
    kind: Mapped[str] = mapped_column(String(8))  # send | phrase
    seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seat_name: Mapped[str] = mapped_column(String(100))
    conversation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    platform: Mapped[str] = mapped_column(String(64), default="")
    rules: Mapped[str] = mapped_column(Text)  # rule keys, comma-separated
    hits_json: Mapped[str] = mapped_column(Text)  # [{rule, platform, category, matched}]
    text: Mapped[str] = mapped_column(Text)
    ref_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # message / phrase id
    __table_args__ = (Index("ix_red_line_overrides_at", "at"),)


# -- auto-replies, dunning, reply clocks (issue 5) ---------------------------------------------
class Dunning(Base):
    """One dunning (催付) message sent for an unpaid order: at most one per buyer and shop
    within the platform's interval; the order's later payment is the recovery."""

    __tablename__ = "dunnings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    shop_id: Mapped[int] = mapped_column(Integer)
    buyer_id: Mapped[int] = mapped_column(Integer)
    conversation_id: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    variant: Mapped[str] = mapped_column(String(8))  # asked | silent
    seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[int] = mapped_column(Millis)
    __table_args__ = (
        Index("ix_dunnings_shop_buyer", "shop_id", "buyer_id", "at"),  # the interval check
        Index("ix_dunnings_order", "order_id"),
        Index("ix_dunnings_at", "at"),  # the dunned → paid report
    )


class ResponseTime(Base):
    """A human answer to a waiting buyer: from the first unanswered buyer message
    (`waited_from`) to the seat's reply, for the lead's first- and average-response
    reports per seat and shop."""

    __tablename__ = "response_times"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(Integer)
    shop_id: Mapped[int] = mapped_column(Integer)
    seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    waited_from: Mapped[int] = mapped_column(Millis)
    answered_at: Mapped[int] = mapped_column(Millis)
    first_reply: Mapped[bool] = mapped_column(default=False)  # the first answer of a reception
    __table_args__ = (Index("ix_response_times_answered", "answered_at"),)


# -- shifts and handover (issue 6) ---------------------------------------------------------------
class Shift(Base):
    """A shift (班次): local times of the team's zone, on some weekdays."""

    __tablename__ = "shifts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    start_time: Mapped[str] = mapped_column(String(5))  # "08:30"
    end_time: Mapped[str] = mapped_column(String(5))  # "17:30"; before start: past midnight
    weekdays: Mapped[int] = mapped_column(Integer, default=127)  # bit 0 = Monday … bit 6 = Sunday
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[int] = mapped_column(Millis, default=0)


class ShiftSeat(Base):
    """The roster: which seat works which shift."""

    __tablename__ = "shift_seats"
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id", ondelete="CASCADE"),
                                          primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("seats.id", ondelete="CASCADE"),
                                         primary_key=True)
    __table_args__ = (Index("ix_shift_seats_seat", "seat_id"),)


class FollowUp(Base):
    """A promise made in a chat: "remind me / the next shift at T"."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    due_at: Mapped[int] = mapped_column(Millis)
    note: Mapped[str] = mapped_column(Text, default="")
    for_seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # NULL: the next shift
    created_by_seat_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[int] = mapped_column(Millis)
    state: Mapped[str] = mapped_column(String(8), default="open")  # open | done
    done_by: Mapped[str] = mapped_column(String(100), default="")
    done_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    __table_args__ = (Index("ix_follow_ups_state_due", "state", "due_at"),)


class Handover(Base):
    """A shift handover note (交接单), a draft until sent."""

    __tablename__ = "handovers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_seat_id: Mapped[int] = mapped_column(ForeignKey("seats.id"))
    author: Mapped[str] = mapped_column(String(100))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id", ondelete="SET NULL"),
                                                 nullable=True)
    to_shift_id: Mapped[int | None] = mapped_column(
        ForeignKey("shifts.id", ondelete="SET NULL"), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(8), default="draft")  # draft | sent
    created_at: Mapped[int] = mapped_column(Millis)
    updated_at: Mapped[int] = mapped_column(Millis)
    sent_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    __table_args__ = (
        Index("ix_handovers_state_sent", "state", "sent_at"),
        Index("ix_handovers_author", "author_seat_id", "created_at"),
    )


class HandoverSeat(Base):
    """A seat a handover is addressed to by name."""

    __tablename__ = "handover_seats"
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"),
                                             primary_key=True)
    seat_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    __table_args__ = (Index("ix_handover_seats_seat", "seat_id"),)


class HandoverItem(Base):
    """One line of a handover, linked to what it is about, with its to-do state."""

    __tablename__ = "handover_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))  # views.HandoverItemKind
    # what it is about ("chat:12", "unpaid:40", "note:<first item id>"): the same thing
    # handed over again, or ticked, is found by it
    key: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(Text)
    ref: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(8), default="todo")  # views.ItemState
    conversation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    order_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    buyer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    follow_up_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    shop_name: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    done_by: Mapped[str] = mapped_column(String(100), default="")
    done_at: Mapped[int | None] = mapped_column(Millis, nullable=True)
    carried_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # the later sent handover that took it on (carried it, or holds the same key): set
    # when that one is sent; a TODO item without it is still someone's to do
    carried_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (
        Index("ix_handover_items_handover", "handover_id", "position"),
        Index("ix_handover_items_key", "key"),
        # the open chain heads, which every draft looks for: a small partial index
        Index("ix_handover_items_open", "handover_id",
              sqlite_where=sql_text("state = 'todo' AND carried_to IS NULL"),
              postgresql_where=sql_text("state = 'todo' AND carried_to IS NULL")),
    )


class HandoverAck(Base):
    """Who acknowledged a handover, when."""

    __tablename__ = "handover_acks"
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"),
                                             primary_key=True)
    seat_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat_name: Mapped[str] = mapped_column(String(100))
    at: Mapped[int] = mapped_column(Millis)


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


# Core-level handles for bulk statements (typed as Table, which __table__ is not).
shops_table = _table(Shop)
buyers_table = _table(Buyer)
labels_table = _table(Label)
buyer_labels_table = _table(BuyerLabel)
cases_table = _table(AfterSaleCase)
case_items_table = _table(AfterSaleItem)
case_events_table = _table(AfterSaleEvent)
conversations_table = _table(Conversation)
messages_table = _table(Message)
orders_table = _table(Order)
order_items_table = _table(OrderLine)
remarks_table = _table(Remark)
outbox_table = _table(OutboxItem)
cursors_table = _table(SyncCursor)
seats_table = _table(Seat)
seat_status_table = _table(SeatStatusEvent)
assignments_table = _table(Assignment)
team_settings_table = _table(TeamSetting)
phrases_table = _table(Phrase)
phrase_favorites_table = _table(PhraseFavorite)
phrase_uses_table = _table(PhraseUse)
red_line_rules_table = _table(RedLineRuleEdit)
red_line_overrides_table = _table(RedLineOverride)
dunnings_table = _table(Dunning)
response_times_table = _table(ResponseTime)
shifts_table = _table(Shift)
shift_seats_table = _table(ShiftSeat)
follow_ups_table = _table(FollowUp)
handovers_table = _table(Handover)
handover_seats_table = _table(HandoverSeat)
handover_items_table = _table(HandoverItem)
handover_acks_table = _table(HandoverAck)
